/**
 * What a streamed response is made of, and how its bytes reach the response stream: one chunk at
 * a time, waiting for the stream to drain, so a slow client never makes the function hold the body.
 */

/** A body the stream mode can send. `null` and `undefined` send nothing. */
export type StreamBody =
  | string
  | Uint8Array
  | ReadableStream<Uint8Array | string>
  | NodeJS.ReadableStream
  | AsyncIterable<Uint8Array | string>
  | null
  | undefined

/** An HTTP answer: everything but `body` becomes the metadata prelude Function URLs and API Gateway read. */
export interface StreamHttpResponse {
  statusCode: number
  headers?: Record<string, string> | undefined
  multiValueHeaders?: Record<string, string[]> | undefined
  cookies?: string[] | undefined
  body?: StreamBody
}

/** What a handler (or an `after` hook, or an error mapper) may answer in the stream mode. */
export type StreamResult = StreamBody | StreamHttpResponse

/** The part of Lambda's response stream (a Node `Writable`) the stream mode uses. */
export interface ResponseStream {
  write(chunk: string | Uint8Array): boolean
  end(callback?: () => void): unknown
  once(event: string, listener: (...args: any[]) => void): unknown
  off(event: string, listener: (...args: any[]) => void): unknown
  setContentType?(type: string): void
}

/** One pull at a time from the body; `stop` gives the source up (deadline, failed write). */
interface Source {
  next(): Promise<IteratorResult<string | Uint8Array>>
  stop(reason: unknown): void
}

// Slices of a string or buffer body: small enough to keep the stream's buffer small, large
// enough that a 100 MB body is not a million writes.
const sliceBytes = 64 * 1024

const isObject = (value: unknown): value is Record<PropertyKey, unknown> => typeof value === 'object' && value !== null

/** An answer with a `statusCode` is an HTTP answer and gets the prelude (as Middy decides). */
export function isHttpResponse(value: unknown): value is StreamHttpResponse {
  return isObject(value) && value.statusCode !== undefined
}

function fromBytes(bytes: Uint8Array): Source {
  let offset = 0
  return {
    next: async () => {
      if (offset >= bytes.byteLength) return { done: true, value: undefined }
      const chunk = bytes.subarray(offset, offset + sliceBytes)
      offset += sliceBytes
      return { done: false, value: chunk }
    },
    stop: () => {
      offset = bytes.byteLength
    },
  }
}

function fromWeb(body: ReadableStream<Uint8Array | string>): Source {
  const reader = body.getReader()
  return {
    next: () => reader.read() as Promise<IteratorResult<Uint8Array | string>>,
    stop: (reason) => {
      reader.cancel(reason).catch(() => undefined)
    },
  }
}

function fromIterable(body: AsyncIterable<Uint8Array | string>): Source {
  const iterator = body[Symbol.asyncIterator]()
  // A Node Readable is destroyed with the reason, which also fails a pull already waiting.
  const destroy = (body as { destroy?: unknown }).destroy
  return {
    next: () => iterator.next(),
    stop: (reason) => {
      if (typeof destroy === 'function') destroy.call(body, reason)
      else Promise.resolve(iterator.return?.()).catch(() => undefined)
    },
  }
}

/** The body as a source of chunks; anything else is a mistake named here, before a byte is sent. */
export function sourceOf(body: unknown): Source {
  if (body === undefined || body === null) return fromBytes(new Uint8Array(0))
  if (typeof body === 'string') return fromBytes(Buffer.from(body))
  if (body instanceof Uint8Array) return fromBytes(body)
  if (isObject(body) && typeof body.getReader === 'function') return fromWeb(body as unknown as ReadableStream)
  if (isObject(body) && typeof body[Symbol.asyncIterator] === 'function') {
    return fromIterable(body as unknown as AsyncIterable<Uint8Array | string>)
  }
  throw new TypeError(
    `The stream mode sends a string, Buffer, ReadableStream, Node Readable or async iterable (or { statusCode, headers, body } with one); got ${isObject(body) ? 'an object without statusCode' : typeof body}.`,
  )
}

/** Starts `wait` unless the signal has aborted, and rejects with its reason if it aborts first. */
function unlessAborted<T>(wait: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return wait()
  if (signal.aborted) return Promise.reject(signal.reason)
  const promise = wait()
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason)
    signal.addEventListener('abort', abort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

/** Resolves when the stream can take more, rejects when it fails or closes first. */
function drained(out: ResponseStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stopListening()
      resolve()
    }
    const onError = (error: unknown) => {
      stopListening()
      reject(error)
    }
    const onClose = () => onError(new Error('The response stream closed before the body was sent.'))
    const stopListening = () => {
      out.off('drain', onDrain)
      out.off('error', onError)
      out.off('close', onClose)
    }
    out.once('drain', onDrain)
    out.once('error', onError)
    out.once('close', onClose)
  })
}

function ended(out: ResponseStream): Promise<void> {
  return new Promise((resolve, reject) => {
    out.once('error', reject)
    out.end(() => {
      out.off('error', reject)
      resolve()
    })
  })
}

const preludeContentType = 'application/vnd.awslambda.http-integration-response'

/**
 * The HTTP integration's framing: the metadata as JSON, then eight zero bytes, then the body.
 * Lambda's runtime provides it as `awslambda.HttpResponseStream.from`; this is the stand-in
 * outside Lambda (tests, the dev server), writing the same bytes.
 */
function withPrelude(out: ResponseStream, prelude: object): ResponseStream {
  const runtime = (globalThis as { awslambda?: { HttpResponseStream?: { from?: unknown } } }).awslambda
  const from = runtime?.HttpResponseStream?.from
  if (typeof from === 'function') return from.call(runtime?.HttpResponseStream, out, prelude) as ResponseStream
  out.setContentType?.(preludeContentType)
  out.write(JSON.stringify(prelude))
  out.write(new Uint8Array(8))
  return out
}

/**
 * Sends `response` down `out`. The body's first chunk is pulled before the first byte is
 * written, so a source that fails at once is still an error the chain can answer (`onFirstByte`
 * marks the point of no return). Aborting `signal` gives the source up and rejects.
 */
export async function sendResponse(
  out: ResponseStream,
  response: unknown,
  signal: AbortSignal | undefined,
  onFirstByte: () => void,
): Promise<void> {
  const http = isHttpResponse(response)
  const source = sourceOf(http ? response.body : response)
  try {
    let result = await unlessAborted(() => source.next(), signal)
    onFirstByte()
    let target = out
    if (http) {
      const { body: _body, ...prelude } = response
      target = withPrelude(out, prelude)
      // Flushes the prelude now (the runtime writes it before the first write): an empty body still has its status.
      target.write('')
    }
    while (!result.done) {
      if (!target.write(result.value)) await unlessAborted(() => drained(target), signal)
      result = await unlessAborted(() => source.next(), signal)
    }
    await ended(target)
  } catch (error) {
    source.stop(error)
    throw error
  }
}
