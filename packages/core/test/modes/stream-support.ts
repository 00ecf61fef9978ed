import { Writable } from 'node:stream'

/** A response stream that keeps what it receives, as Lambda's runtime would send it on. */
export function captureStream(options: { highWaterMark?: number; slow?: boolean } = {}) {
  const chunks: Buffer[] = []
  const contentTypes: string[] = []
  const out = new Writable({
    highWaterMark: options.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk))
      if (options.slow) setImmediate(callback)
      else callback()
    },
  }) as Writable & { setContentType(type: string): void }
  out.setContentType = (type: string) => {
    contentTypes.push(type)
  }
  return {
    out,
    contentTypes,
    chunks,
    bytes: () => Buffer.concat(chunks),
    text: () => Buffer.concat(chunks).toString('utf8'),
    /** The HTTP integration's framing taken apart: JSON prelude, eight zero bytes, body. */
    framed: () => {
      const all = Buffer.concat(chunks)
      const end = all.indexOf(Buffer.alloc(8))
      return {
        prelude: JSON.parse(all.subarray(0, end).toString('utf8')),
        body: all.subarray(end + 8).toString('utf8'),
      }
    },
  }
}
