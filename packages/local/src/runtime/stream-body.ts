// The body of a streamed response as Lambda's Runtime API receives it: chunked, optionally opened
// by an HTTP integration prelude (JSON, then 8 NUL bytes), with an error in the trailers when the
// function failed midway.
import type { IncomingMessage } from 'node:http'
import type { StreamPrelude } from './types.js'

export const preludeContentType = 'application/vnd.awslambda.http-integration-response'
const delimiter = Buffer.alloc(8)

export interface StreamListeners {
  onPrelude?: ((prelude: StreamPrelude) => void) | undefined
  onChunk?: ((chunk: Uint8Array) => void) | undefined
}

export async function readStreamedBody(request: IncomingMessage, listeners: StreamListeners) {
  const withPrelude = request.headers['content-type'] === preludeContentType
  let head: Buffer | undefined = withPrelude ? Buffer.alloc(0) : undefined
  let prelude: StreamPrelude | undefined
  const chunks: Buffer[] = []
  const deliver = (chunk: Buffer) => {
    if (chunk.length === 0) return
    chunks.push(chunk)
    listeners.onChunk?.(chunk)
  }
  for await (const received of request) {
    const chunk = received as Buffer
    if (head === undefined) {
      deliver(chunk)
      continue
    }
    head = Buffer.concat([head, chunk])
    const end = head.indexOf(delimiter)
    if (end < 0) continue
    prelude = parsePrelude(head.subarray(0, end))
    listeners.onPrelude?.(prelude)
    const rest = head.subarray(end + delimiter.length)
    head = undefined
    deliver(rest)
  }
  // A stream that ended before its delimiter: what arrived is body, not prelude.
  if (head !== undefined) deliver(head)
  return { body: Buffer.concat(chunks), prelude, trailers: request.trailers }
}

function parsePrelude(text: Buffer): StreamPrelude {
  try {
    const parsed = JSON.parse(text.toString('utf8'))
    return typeof parsed === 'object' && parsed !== null ? (parsed as StreamPrelude) : {}
  } catch {
    return {}
  }
}
