import { safeRecord } from './safe-parse.js'

/** The fields of an HTTP event (any of the four payload formats) that the validator reads. */
export interface HttpEventFields {
  body?: unknown
  isBase64Encoded?: unknown
  headers?: unknown
  multiValueHeaders?: unknown
  queryStringParameters?: unknown
  multiValueQueryStringParameters?: unknown
  pathParameters?: unknown
}

/** How HTTP folds a repeated header or query parameter into one value. */
const joinWith = (separator: string) => (previous: unknown, next: unknown) =>
  `${String(previous)}${separator}${String(next)}`

const stringEntries = (value: unknown): [string, unknown][] =>
  typeof value === 'object' && value !== null ? Object.entries(value) : []

/** `{ name: [values] }` as `{ name: 'joined values' }`; anything that is not an object gives `undefined`. */
function joinMultiValue(values: unknown, separator: string): Record<string, unknown> | undefined {
  if (typeof values !== 'object' || values === null) return undefined
  return safeRecord(
    stringEntries(values).map(([name, list]) => [name, Array.isArray(list) ? list.map(String).join(separator) : list]),
    joinWith(separator),
  )
}

// An ALB target group with multi-value headers on sends only the multi-value fields; API Gateway
// REST sends both (the single-value one keeps the last of repeated values), and is read as before.

/** The event's headers, one value per name: from `multiValueHeaders` when there is no `headers`. */
export function headersOf(event: HttpEventFields): unknown {
  return event.headers ?? joinMultiValue(event.multiValueHeaders, ', ')
}

/** The event's query parameters, one value per name: from the multi-value field when that is all there is. */
export function queryParametersOf(event: HttpEventFields): unknown {
  return event.queryStringParameters ?? joinMultiValue(event.multiValueQueryStringParameters, ',')
}

/** Header names lower-cased (HTTP names are case-insensitive); repeated names joined with ", ". */
export function lowerCaseHeaders(headers: unknown): Record<string, unknown> {
  return safeRecord(
    stringEntries(headers).map(([name, value]) => [name.toLowerCase(), value]),
    joinWith(', '),
  )
}

/** The content type header, whatever case the client or the source used for its name. */
export function contentTypeOf(headers: unknown): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined
  const exact = (headers as Record<string, unknown>)['content-type']
  if (typeof exact === 'string') return exact
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' && name.toLowerCase() === 'content-type') return value
  }
  return undefined
}

const decodeQueryValue = (value: unknown) => {
  if (typeof value !== 'string') return value
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    // Not valid percent-encoding: the client sent it literally.
    return value
  }
}

/**
 * Query string parameters as a plain object (`{}` when there are none). An ALB passes them
 * still percent-encoded, unlike API Gateway and function URLs, so they are decoded here.
 */
export function queryOf(parameters: unknown, percentEncoded: boolean): Record<string, unknown> {
  const entries = stringEntries(parameters)
  // Decoding can make two names equal ('a b' and 'a%20b'): fold them as API Gateway v2 does.
  const decoded = percentEncoded
    ? entries.map(([key, value]): [string, unknown] => [decodeQueryValue(key) as string, decodeQueryValue(value)])
    : entries
  return safeRecord(decoded, joinWith(','))
}

/** Path parameters as a plain object (`{}` when the route has none). */
export function pathOf(parameters: unknown): Record<string, unknown> {
  return safeRecord(stringEntries(parameters), joinWith(','))
}

/** `application/x-www-form-urlencoded` fields; a repeated field becomes an array of its values. */
export function parseForm(text: string): Record<string, unknown> {
  return safeRecord(new URLSearchParams(text), (previous, next) =>
    Array.isArray(previous) ? [...previous, next] : [previous, next],
  )
}
