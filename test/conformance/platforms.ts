// The three ways the conformance table reaches the same Lamina function, each answering in the
// same terms (status, headers, cookies, body bytes) so the test can compare them.
import type { AddressInfo } from 'node:net'
import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions'
import * as functions from '@google-cloud/functions-framework'
import { getTestServer } from '@google-cloud/functions-framework/testing'
import { toAzure } from '@lamina/azure'
import { toGoogleCloud } from '@lamina/gcp'
import { createContext, events } from '@lamina/testing'
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda'
import { type ConformanceRequest, requestId } from './table.js'

/** A Lamina HTTP handler: what runs on all three platforms. */
export type LaminaHttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>

export interface Answer {
  status: number
  headers: Headers
  /** `name=value` of each cookie set. */
  cookies: string[]
  body: Buffer
}

const cookiePair = (setCookie: string) => setCookie.split(';')[0]!.trim()

function splitTarget(target: string) {
  const url = new URL(target, 'https://api.example')
  return { url, path: decodeURI(url.pathname) }
}

/** As API Gateway's HTTP API would: a v2 event in, its result turned into the HTTP answer. */
async function viaLambda(handler: LaminaHttpHandler, timeoutMs: number, request: ConformanceRequest): Promise<Answer> {
  const { url, path } = splitTarget(request.target)
  const { cookie, ...headers } = request.headers ?? {}
  const query: Record<string, string> = {}
  for (const [name, value] of url.searchParams)
    query[name] = query[name] === undefined ? value : `${query[name]},${value}`
  const binary = request.body instanceof Uint8Array
  const event: APIGatewayProxyEventV2 = {
    ...events.apiGatewayV2({
      method: request.method,
      path,
      headers,
      query,
      requestId,
      ...(request.body === undefined
        ? {}
        : {
            body: binary ? Buffer.from(request.body as Uint8Array).toString('base64') : request.body,
            isBase64Encoded: binary,
          }),
    }),
    rawQueryString: url.search.slice(1),
    ...(cookie === undefined ? {} : { cookies: cookie.split('; ') }),
  }
  const result = (await handler(
    event,
    createContext({ awsRequestId: requestId, timeoutMs }),
  )) as APIGatewayProxyStructuredResultV2
  const answerHeaders = new Headers()
  for (const [name, value] of Object.entries(result.headers ?? {})) answerHeaders.append(name, String(value))
  const text = result.body ?? ''
  return {
    status: result.statusCode ?? 200,
    headers: answerHeaders,
    cookies: (result.cookies ?? []).map(cookiePair),
    // API Gateway sends no body for HEAD, whatever the function answered.
    body: request.method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(text, result.isBase64Encoded ? 'base64' : 'utf8'),
  }
}

/** Through @lamina/azure with the real @azure/functions request, context and response classes. */
async function viaAzure(azureHandler: ReturnType<typeof toAzure>, request: ConformanceRequest): Promise<Answer> {
  const body =
    request.body === undefined
      ? undefined
      : typeof request.body === 'string'
        ? { string: request.body }
        : { bytes: request.body }
  const httpRequest = new HttpRequest({
    method: request.method,
    url: new URL(request.target, 'https://lamina-conformance.azurewebsites.net/').href,
    headers: request.headers ?? {},
    ...(body === undefined ? {} : { body }),
  })
  const context = new InvocationContext({ invocationId: requestId, functionName: 'conformance' })
  const init = await azureHandler(httpRequest, context)
  const response = new HttpResponse(init)
  return {
    status: response.status,
    headers: response.headers,
    cookies: response.cookies.map((cookie) => `${cookie.name}=${cookie.value}`),
    body: Buffer.from(await response.arrayBuffer()),
  }
}

/** The Functions Framework's own HTTP server on 127.0.0.1, serving @lamina/gcp's handler. */
async function startGoogle(name: string, handler: LaminaHttpHandler, timeoutMs: number) {
  functions.http(name, toGoogleCloud(handler, { timeoutMs }))
  const server = getTestServer(name)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const viaGoogle = async (request: ConformanceRequest): Promise<Answer> => {
    const response = await fetch(`http://127.0.0.1:${port}${request.target}`, {
      method: request.method,
      headers: { ...request.headers, 'function-execution-id': requestId },
      ...(request.body === undefined ? {} : { body: request.body }),
    })
    return {
      status: response.status,
      headers: response.headers,
      cookies: response.headers.getSetCookie().map(cookiePair),
      body: Buffer.from(await response.arrayBuffer()),
    }
  }
  const close = () =>
    new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
  return { viaGoogle, close }
}

export interface Platforms {
  viaLambda: (request: ConformanceRequest) => Promise<Answer>
  viaAzure: (request: ConformanceRequest) => Promise<Answer>
  viaGoogle: (request: ConformanceRequest) => Promise<Answer>
  close: () => Promise<void>
}

/**
 * The three ways to one handler, each given the same deadline. `name` registers the Google
 * function; the framework's registry is per process, so each caller uses its own.
 */
export async function platforms(name: string, handler: LaminaHttpHandler, timeoutMs: number): Promise<Platforms> {
  const azureHandler = toAzure(handler, { timeoutMs })
  const google = await startGoogle(name, handler, timeoutMs)
  return {
    viaLambda: (request) => viaLambda(handler, timeoutMs, request),
    viaAzure: (request) => viaAzure(azureHandler, request),
    viaGoogle: google.viaGoogle,
    close: google.close,
  }
}
