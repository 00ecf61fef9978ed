import type { Request, Response } from '@google-cloud/functions-framework'
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda'
import { eventBody } from './body.js'
import { supportedMethods, toV2Event } from './http-event.js'
import { fromV2Result } from './http-result.js'
import { type DeadlineOptions, lambdaContext, platformFunctionName, readTimeout } from './lambda-context.js'

/** The Lambda context an adapted handler gets, with the framework's request beside it. */
export interface GoogleLambdaContext extends Context {
  /** The Express request the Functions Framework passed (headers, `rawBody`, `executionId`). */
  request: Request
}

/** A Lambda handler of API Gateway HTTP API events, as `wrap()` builds one. */
export type HttpLambdaHandler = (event: APIGatewayProxyEventV2, context: GoogleLambdaContext) => unknown

export type GoogleHttpHandler = (request: Request, response: Response) => Promise<void>

export interface ToGoogleCloudOptions extends DeadlineOptions {}

/** Throws at setup when what was passed cannot be called as a handler. */
export function assertHandler(handler: unknown, caller: string): void {
  if (typeof handler !== 'function') {
    throw new TypeError(
      `${caller} needs a Lamina handler function (the result of wrap(...).handler(...), or any (event, context) => result); got ${
        handler === null ? 'null' : typeof handler
      }.`,
    )
  }
}

/** Thrown when the request's body was parsed before the adapter saw it and its bytes are gone. */
export class ParsedBodyError extends TypeError {
  constructor() {
    super(
      'toGoogleCloud(): the request body was already parsed (req.body is an object) and req.rawBody is missing, so ' +
        "the bytes the client sent are gone. Serve the handler with the Functions Framework (it keeps req.rawBody), or in your own Express app mount it with express.raw({ type: '*/*' }) instead of express.json().",
    )
    this.name = 'ParsedBodyError'
  }
}

async function readStream(request: Request): Promise<Buffer> {
  const chunks: Buffer[] = []
  // Nobody set an encoding on the stream (a parser would have read it), so chunks are Buffers.
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

// The Functions Framework parses JSON, text and form bodies and keeps the bytes in req.rawBody;
// that is the body the client sent, byte for byte. Without the framework (a plain Express app):
// a Buffer or string body is the body; a stream nobody read is read here; anything else was parsed.
async function bodyBytes(request: Request): Promise<Buffer> {
  if (Buffer.isBuffer(request.rawBody)) return request.rawBody
  const body: unknown = request.body
  if (Buffer.isBuffer(body)) return body
  if (typeof body === 'string') return Buffer.from(body)
  // No parser ran: read the stream (one already read to the end yields nothing).
  if (body === undefined) return readStream(request)
  // A JSON parser that found no body leaves `{}`: there were no bytes to lose.
  if (typeof body === 'object' && body !== null && Object.keys(body).length === 0) return Buffer.alloc(0)
  throw new ParsedBodyError()
}

// Node joins a repeated header with ', ' (Cookie with '; ') but keeps `set-cookie` apart:
// headersDistinct has every one as a list, joined here the way the others already are.
function headerPairs(request: Request): [string, string][] {
  return Object.entries(request.headersDistinct).map(([name, values]) => [name, (values ?? []).join(', ')])
}

const unsupportedMethod = (response: Response, method: string) => {
  response
    .status(501)
    .set({ 'content-type': 'application/json', allow: supportedMethods.join(', ') })
    .end(
      JSON.stringify({
        message: `The ${method} method is not supported: Lamina serves ${supportedMethods.join(', ')}.`,
      }),
    )
}

/**
 * A Functions Framework HTTP handler (for `functions.http(name, handler)`) that runs a Lamina
 * (Lambda) handler: the request becomes an API Gateway HTTP API v2 event, the result the response.
 */
export function toGoogleCloud(handler: HttpLambdaHandler, options?: ToGoogleCloudOptions): GoogleHttpHandler {
  assertHandler(handler, 'toGoogleCloud()')
  const timeoutMs = readTimeout(options, 'toGoogleCloud()')
  return async (request, response) => {
    const requestId = request.executionId ?? request.get('function-execution-id') ?? crypto.randomUUID()
    const context: GoogleLambdaContext = {
      ...lambdaContext(requestId, platformFunctionName(), timeoutMs),
      request,
    }
    const method = request.method.toUpperCase()
    if (!supportedMethods.includes(method)) return unsupportedMethod(response, method)
    const bytes = await bodyBytes(request)
    const event = toV2Event({
      method,
      url: new URL(request.originalUrl, `${request.protocol}://${request.get('host') ?? 'localhost'}`),
      headers: headerPairs(request),
      body: eventBody(bytes, request.get('content-type')),
      requestId,
      sourceIp: request.ip ?? '',
      pathParameters: undefined,
    })
    const answer = fromV2Result(await handler(event, context))
    // Node's own setHeader, not Express's set/append: those add a charset to the content type.
    response.statusCode = answer.status
    const headers = new Map<string, string[]>()
    for (const [name, value] of answer.headers) headers.set(name, [...(headers.get(name) ?? []), value])
    for (const [name, values] of headers) response.setHeader(name, values.length === 1 ? values[0]! : values)
    if (answer.cookies.length > 0) response.setHeader('set-cookie', answer.cookies)
    response.end(answer.body)
  }
}
