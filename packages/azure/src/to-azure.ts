import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions'
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda'
import { eventBody } from './body.js'
import { supportedMethods, toV2Event } from './http-event.js'
import { fromV2Result } from './http-result.js'
import { type DeadlineOptions, lambdaContext, readTimeout } from './lambda-context.js'
import { parseSetCookie } from './set-cookie.js'

/** The Lambda context an adapted handler gets, with the Azure invocation context beside it. */
export interface AzureLambdaContext extends Context {
  /** The invocation's own context: `context.invocationContext.log(…)` ties a line to this invocation. */
  invocationContext: InvocationContext
}

/** A Lambda handler of API Gateway HTTP API events, as `wrap()` builds one. */
export type HttpLambdaHandler = (event: APIGatewayProxyEventV2, context: AzureLambdaContext) => unknown

export type AzureHttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>

export interface ToAzureOptions extends DeadlineOptions {}

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

const unsupportedMethod = (method: string): HttpResponseInit => ({
  status: 501,
  headers: { 'content-type': 'application/json', allow: supportedMethods.join(', ') },
  jsonBody: { message: `The ${method} method is not supported: Lamina serves ${supportedMethods.join(', ')}.` },
})

/**
 * An Azure Functions v4 HTTP handler (for `app.http(name, { handler })`) that runs a Lamina (Lambda)
 * handler: the request becomes an API Gateway HTTP API v2 event, the result the Azure response.
 */
export function toAzure(handler: HttpLambdaHandler, options?: ToAzureOptions): AzureHttpHandler {
  assertHandler(handler, 'toAzure()')
  const timeoutMs = readTimeout(options, 'toAzure()')
  return async (request, invocationContext) => {
    const context: AzureLambdaContext = {
      ...lambdaContext(invocationContext.invocationId, invocationContext.functionName, timeoutMs),
      invocationContext,
    }
    const method = request.method.toUpperCase()
    if (!supportedMethods.includes(method)) return unsupportedMethod(method)
    const bytes = new Uint8Array(await request.arrayBuffer())
    const params = Object.keys(request.params).length === 0 ? undefined : { ...request.params }
    const event = toV2Event({
      method,
      url: new URL(request.url),
      headers: request.headers,
      body: eventBody(bytes, request.headers.get('content-type')),
      requestId: invocationContext.invocationId,
      sourceIp: request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? '',
      pathParameters: params,
    })
    const response = fromV2Result(await handler(event, context))
    const headers = new Headers()
    for (const [name, value] of response.headers) headers.append(name, value)
    return {
      status: response.status,
      headers,
      ...(response.cookies.length === 0 ? {} : { cookies: response.cookies.map(parseSetCookie) }),
      // Bytes, never a string: the worker would give a string body a text/plain type of its own.
      body: typeof response.body === 'string' ? Buffer.from(response.body) : response.body,
    }
  }
}
