/** A handler's answer in the terms every platform can send: status, header pairs, cookies, bytes or text. */
export interface PlatformResponse {
  status: number
  /** Lower-case names; a multi-value header appears once per value. Never `set-cookie`. */
  headers: [string, string][]
  /** `Set-Cookie` values, one per cookie. */
  cookies: string[]
  body: string | Buffer
}

interface StructuredResult {
  statusCode: number
  headers?: Record<string, unknown>
  multiValueHeaders?: Record<string, unknown[]>
  cookies?: unknown[]
  body?: unknown
  isBase64Encoded?: boolean
}

const isStructured = (value: unknown): value is StructuredResult =>
  typeof value === 'object' && value !== null && typeof (value as { statusCode?: unknown }).statusCode === 'number'

/**
 * The HTTP answer API Gateway's HTTP API would make of a handler's result: a `{ statusCode }`
 * object as it says, anything else a 200 JSON answer of the value.
 */
export function fromV2Result(result: unknown): PlatformResponse {
  if (!isStructured(result)) {
    const body = typeof result === 'string' ? result : (JSON.stringify(result) ?? '')
    return { status: 200, headers: [['content-type', 'application/json']], cookies: [], body }
  }
  const headers: [string, string][] = []
  const cookies = (result.cookies ?? []).map(String)
  const add = (name: string, value: unknown) => {
    const lower = name.toLowerCase()
    if (lower === 'set-cookie') cookies.push(String(value))
    else headers.push([lower, String(value)])
  }
  for (const [name, value] of Object.entries(result.headers ?? {})) if (value !== undefined) add(name, value)
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    for (const value of values) add(name, value)
  const text = result.body === undefined || result.body === null ? '' : String(result.body)
  return {
    status: result.statusCode,
    headers,
    cookies,
    body: result.isBase64Encoded === true ? Buffer.from(text, 'base64') : text,
  }
}
