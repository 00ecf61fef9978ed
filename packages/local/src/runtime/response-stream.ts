// What `awslambda.streamifyResponse` handlers write to, as the Lambda runtime provides it: a
// Writable over the chunked `…/response` request, with `setContentType` before the first write
// and the HTTP integration prelude of `awslambda.HttpResponseStream.from`.
import type { ClientRequest } from 'node:http'
import { Writable } from 'node:stream'
import { preludeContentType } from './stream-body.js'

const beforeFirstWrite = Symbol('lamina.beforeFirstWrite')

export class ResponseStream extends Writable {
  readonly #call: ClientRequest
  #started = false;
  [beforeFirstWrite]: (() => void) | undefined

  constructor(call: ClientRequest, highWaterMark?: number) {
    super(highWaterMark === undefined ? {} : { highWaterMark })
    this.#call = call
  }

  setContentType(contentType: string) {
    if (this.#started) throw new Error('Cannot set the content type after the first write: set it before writing.')
    this.#call.setHeader('Content-Type', contentType)
  }

  #start() {
    if (this.#started) return
    this.#started = true
    this[beforeFirstWrite]?.()
  }

  /** Writes straight to the request (the prelude), bypassing this stream's buffer. */
  writeRaw(chunk: string | Uint8Array) {
    this.#call.write(chunk)
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    this.#start()
    this.#call.write(chunk, (error) => callback(error ?? null))
  }

  override _final(callback: (error?: Error | null) => void) {
    // A prelude with an empty body (a 204) still reaches the client.
    this.#start()
    this.#call.end(() => callback())
  }

  /** Ends the response with the error in the trailers, as Lambda reports a stream that failed midway. */
  fail(errorType: string, body: string) {
    this.#start()
    this.#call.addTrailers({
      'Lambda-Runtime-Function-Error-Type': errorType,
      'Lambda-Runtime-Function-Error-Body': Buffer.from(body).toString('base64'),
    })
    this.#call.end()
  }
}

export const HttpResponseStream = {
  /** Sends `prelude` (status, headers, cookies) before the body's first byte. */
  from(stream: ResponseStream, prelude: Record<string, unknown>): ResponseStream {
    stream.setContentType(preludeContentType)
    stream[beforeFirstWrite] = () => {
      stream.writeRaw(JSON.stringify(prelude))
      stream.writeRaw(new Uint8Array(8))
    }
    return stream
  },
}
