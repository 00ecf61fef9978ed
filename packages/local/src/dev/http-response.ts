// What the HTTP source answers for a function's result. Payload 2.0 and Function URLs accept any
// JSON value (no statusCode: 200 with the value as a JSON body); REST (v1) and ALB need
// { statusCode, body }, otherwise the caller gets a 502 as from API Gateway. A function error
// is a 502 without its message, a timeout a 504: internals never reach the caller.
import type { HttpEventFormat } from './template.js'

export interface HttpAnswer {
  statusCode: number
  /** Pairs, so `set-cookie` may repeat. */
  headers: [string, string][]
  body: Buffer
}

const json = (statusCode: number, message: string): HttpAnswer => ({
  statusCode,
  headers: [['content-type', 'application/json']],
  body: Buffer.from(JSON.stringify({ message })),
})

export const internalError = () => json(502, 'Internal server error')
export const timedOutAnswer = () => json(504, 'Endpoint request timed out')
export const notFoundAnswer = () => json(404, 'Not Found')

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const stringPairs = (value: unknown): [string, string][] =>
  isRecord(value)
    ? Object.entries(value)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k.toLowerCase(), String(v)])
    : []

/** Prelude headers of a streamed response (HttpResponseStream.from): headers and cookies. */
export function preludeHeaders(headers: unknown, cookies: unknown): [string, string][] {
  return [
    ...stringPairs(headers),
    ...(Array.isArray(cookies) ? cookies.map((c): [string, string] => ['set-cookie', String(c)]) : []),
  ]
}

export function toHttpAnswer(result: unknown, format: HttpEventFormat): HttpAnswer {
  const structured = isRecord(result) && 'statusCode' in result
  if (!structured) {
    if (format === 'v1' || format === 'alb') return internalError()
    const body = result === undefined ? '' : JSON.stringify(result)
    return { statusCode: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body) }
  }
  const statusCode = Number(result.statusCode)
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return internalError()
  const headers = stringPairs(result.headers)
  if (isRecord(result.multiValueHeaders)) {
    for (const [name, values] of Object.entries(result.multiValueHeaders)) {
      if (!Array.isArray(values)) continue
      const lower = name.toLowerCase()
      // Lambda merges both maps; a name in both answers with the multi-value list.
      for (let index = headers.length - 1; index >= 0; index--)
        if (headers[index]?.[0] === lower) headers.splice(index, 1)
      for (const value of values) headers.push([lower, String(value)])
    }
  }
  if (Array.isArray(result.cookies)) for (const cookie of result.cookies) headers.push(['set-cookie', String(cookie)])
  const text =
    result.body === undefined || result.body === null
      ? ''
      : typeof result.body === 'string'
        ? result.body
        : JSON.stringify(result.body)
  const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text)
  return { statusCode, headers, body }
}
