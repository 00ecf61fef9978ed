import type { HttpEventSource } from '@lamina/core'
import { statusText } from '@lamina/errors'
import { usesMultiValueHeaders } from './http-event.js'
import type { RouterAnswer } from './types.js'

/** A response with a status: what the four HTTP sources read. */
export interface HttpResponse {
  statusCode: number
  headers?: Record<string, unknown>
  multiValueHeaders?: Record<string, unknown[]>
  body?: unknown
  [field: string]: unknown
}

const usesV2Shape = (source: HttpEventSource) => source === 'api-gateway-v2' || source === 'function-url'

/** An answer the router or `cors()` writes itself, in the shape the event's source expects. */
export function answer(
  source: HttpEventSource,
  event: object,
  statusCode: number,
  headers: Record<string, string>,
): RouterAnswer {
  if (source === 'alb') {
    const response: RouterAnswer = {
      statusCode,
      statusDescription: `${statusCode} ${statusText(statusCode)}`,
      body: '',
      isBase64Encoded: false,
    }
    if (usesMultiValueHeaders(event)) {
      response.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]))
    } else response.headers = headers
    return response
  }
  if (source === 'api-gateway-v1') return { statusCode, headers, body: '', isBase64Encoded: false }
  return { statusCode, headers, body: '' }
}

/**
 * The response as an object with a status, so headers can be added: as it is when it has one; for
 * HTTP APIs and function URLs, any other value as the 200 JSON answer API Gateway makes of it;
 * `undefined` when there is none to make (REST and ALB answer such a value with an error anyway).
 */
export function structured(response: unknown, source: HttpEventSource): HttpResponse | undefined {
  if (typeof response === 'object' && response !== null && typeof (response as HttpResponse).statusCode === 'number') {
    return response as HttpResponse
  }
  if (response === undefined || !usesV2Shape(source)) return undefined
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response) }
}

/** The response for a `HEAD` request: the `GET` answer without its body. */
export function withoutBody(response: unknown, source: HttpEventSource): unknown {
  const shaped = structured(response, source)
  return shaped === undefined ? response : { ...shaped, body: '' }
}

function existingName(headers: object, lowerCaseName: string): string | undefined {
  return Object.keys(headers).find((name) => name.toLowerCase() === lowerCaseName)
}

const listsToken = (list: string, token: string) =>
  list.split(',').some((item) => {
    const trimmed = item.trim().toLowerCase()
    return trimmed === '*' || trimmed === token.toLowerCase()
  })

/**
 * A copy of the response with the headers added: a header the response already has (in any
 * case) keeps its value; `vary` is added to any `Vary` already there. Writes `multiValueHeaders`
 * when that is what the response (or an ALB with multi-value headers on) uses. Never mutates:
 * a handler may answer with one response object kept across invocations.
 */
export function withHeaders(
  response: HttpResponse,
  added: Record<string, string>,
  vary: string | undefined,
  multiValue: boolean,
): HttpResponse {
  const inMultiValue = response.headers === undefined && (response.multiValueHeaders !== undefined || multiValue)
  const headers: Record<string, unknown> = { ...(inMultiValue ? response.multiValueHeaders : response.headers) }
  const value = (text: string) => (inMultiValue ? [text] : text)
  for (const [name, text] of Object.entries(added)) {
    if (existingName(headers, name) === undefined) headers[name] = value(text)
  }
  if (vary !== undefined) {
    const name = existingName(headers, 'vary')
    const current = name === undefined ? undefined : headers[name]
    const currentText = Array.isArray(current) ? current.join(', ') : String(current ?? '')
    if (name === undefined) headers.vary = value(vary)
    else if (!listsToken(currentText, vary)) headers[name] = value(`${currentText}, ${vary}`)
  }
  return inMultiValue
    ? { ...response, multiValueHeaders: headers as Record<string, unknown[]> }
    : { ...response, headers }
}
