import type { HttpEventSource } from '@lamina/core'

// Reading an HTTP event of any of the four payload formats: where the method, the path and the
// headers live. Every read is defensive: a hand-made or hostile event gives `undefined`, never a throw.

type Fields = Record<string, unknown> & {
  requestContext?: { http?: { method?: unknown; path?: unknown } }
}

const usesV2Shape = (source: HttpEventSource) => source === 'api-gateway-v2' || source === 'function-url'

/** The request method, upper-cased; `''` when the event has none. */
export function methodOf(event: object, source: HttpEventSource): string {
  const fields = event as Fields
  const method = usesV2Shape(source) ? fields.requestContext?.http?.method : fields.httpMethod
  return typeof method === 'string' ? method.toUpperCase() : ''
}

/** The path as the source delivered it: `path` (REST, ALB), `rawPath` (HTTP API, function URL). */
export function pathOf(event: object, source: HttpEventSource): unknown {
  const fields = event as Fields
  if (!usesV2Shape(source)) return fields.path
  return fields.rawPath ?? fields.requestContext?.http?.path
}

/**
 * True for an ALB target group with multi-value headers on: it sends only `multiValueHeaders`
 * and reads only `multiValueHeaders` in the response.
 */
export function usesMultiValueHeaders(event: object): boolean {
  const fields = event as Fields
  return (
    fields.headers === undefined && typeof fields.multiValueHeaders === 'object' && fields.multiValueHeaders !== null
  )
}

/** One request header by its lower-case name, whatever case the client or the source used. */
export function headerOf(event: object, name: string): string | undefined {
  const fields = event as Fields
  const multi = usesMultiValueHeaders(event)
  const headers = multi ? fields.multiValueHeaders : fields.headers
  if (typeof headers !== 'object' || headers === null) return undefined
  // HTTP APIs and function URLs send lower-case names: found at once. Others are searched.
  const exact: unknown = (headers as Record<string, unknown>)[name]
  if (typeof exact === 'string') return exact
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue
    const value: unknown = (headers as Record<string, unknown>)[key]
    const first = multi && Array.isArray(value) ? value[0] : value
    return typeof first === 'string' ? first : undefined
  }
  return undefined
}
