// The conformance table: one list of HTTP requests, each with the answer every platform must
// give. conformance.test.ts sends each request to the same Lamina function (./app.ts) as a Lambda
// handler (API Gateway v2 events), through @lamina/azure and through @lamina/gcp, and compares.

export interface ConformanceRequest {
  name: string
  method: string
  /** Path and query, as a client sends them. */
  target: string
  headers?: Record<string, string>
  body?: string | Uint8Array
  expect: {
    status: number
    /** Headers every platform must answer with exactly these values. */
    headers?: Record<string, string>
    /** Text that must appear nowhere in the answer (body or header values): internals. */
    leaks?: string[]
    /** The body, parsed as JSON where a string is not given; `requestId` is compared as sent. */
    json?: unknown
    text?: string
    bytes?: Uint8Array
    cookies?: string[]
  }
  /**
   * Where a platform genuinely answers otherwise, what it answers and why. The test asserts this
   * answer for that platform instead of equality, so a change on either side is noticed.
   */
  differs?: {
    google?: { status: number; headers: Record<string, string>; why: string }
  }
}

/** The request id every platform is given for the request, so error bodies match byte for byte. */
export const requestId = 'c0ffee00-0000-4000-8000-000000000001'

const json = { 'content-type': 'application/json' }
const cors = { 'access-control-allow-origin': 'https://app.example', vary: 'Origin' }
const binary = Uint8Array.from([0, 1, 2, 0xfe, 0xff, 0x80, 10, 13])

export const table: ConformanceRequest[] = [
  {
    name: 'GET with a path parameter and a query',
    method: 'GET',
    target: '/orders/42?expand=items&limit=5',
    headers: { origin: 'https://app.example' },
    expect: {
      status: 200,
      headers: { 'x-order': '42', ...cors },
      json: { id: '42', query: { expand: 'items', limit: '5' } },
    },
  },
  {
    name: 'repeated query parameter (joined with a comma, as API Gateway does)',
    method: 'GET',
    target: '/orders/7?tag=a&tag=b',
    expect: { status: 200, json: { id: '7', query: { tag: 'a,b' } } },
  },
  {
    name: 'percent-encoded path parameter',
    method: 'GET',
    target: '/orders/caf%C3%A9%20noir',
    expect: { status: 200, headers: { 'x-order': 'caf%C3%A9%20noir' }, json: { id: 'café noir', query: {} } },
  },
  {
    name: 'HEAD served by the GET route, without a body',
    method: 'HEAD',
    target: '/orders/42',
    expect: { status: 200, headers: { 'x-order': '42' }, text: '' },
  },
  {
    name: 'POST a valid JSON body',
    method: 'POST',
    target: '/orders',
    headers: json,
    body: JSON.stringify({ sku: 'A-1', quantity: 2 }),
    expect: { status: 201, headers: json, json: { created: { sku: 'A-1', quantity: 2 } } },
  },
  {
    name: 'POST a body that fails validation',
    method: 'POST',
    target: '/orders',
    headers: json,
    body: JSON.stringify({ sku: '', quantity: -1 }),
    expect: { status: 400, headers: json },
  },
  {
    name: 'POST bad JSON',
    method: 'POST',
    target: '/orders',
    headers: json,
    body: '{"sku": "A-1",',
    expect: { status: 400, headers: json },
    differs: {
      google: {
        status: 400,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        why:
          "The Functions Framework parses JSON bodies (Express's body-parser) before any function runs and answers a " +
          'body that is not JSON with its own 400 HTML page; the Lamina function never sees the request.',
      },
    },
  },
  {
    name: 'POST a body with a content type the route does not take',
    method: 'POST',
    target: '/orders',
    headers: { 'content-type': 'text/plain' },
    body: 'sku=A-1',
    expect: { status: 415, headers: json },
  },
  {
    name: 'PUT a binary body, answered with binary',
    method: 'PUT',
    target: '/files/blob.bin',
    headers: { 'content-type': 'application/octet-stream' },
    body: binary,
    expect: {
      status: 200,
      headers: { 'content-type': 'application/octet-stream', 'x-received': String(binary.length) },
      bytes: Uint8Array.from(binary).reverse(),
    },
  },
  {
    name: 'cookies both ways, and a custom header',
    method: 'GET',
    target: '/cookies',
    headers: { cookie: 'a=1; b=two', 'x-agent': 'conformance' },
    expect: {
      status: 200,
      json: { cookies: ['a=1', 'b=two'], agent: 'conformance' },
      cookies: ['session=abc', 'theme=dark'],
    },
  },
  {
    name: 'no route for the path',
    method: 'GET',
    target: '/nowhere',
    expect: { status: 404, headers: json },
  },
  {
    name: 'no route for the method',
    method: 'DELETE',
    target: '/orders/42',
    expect: { status: 405, headers: { allow: 'GET, HEAD, OPTIONS' } },
  },
  {
    name: 'CORS preflight',
    method: 'OPTIONS',
    target: '/orders',
    headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    expect: { status: 204, headers: { 'access-control-allow-origin': 'https://app.example' }, text: '' },
  },
  {
    name: 'a thrown error: 500 with nothing internal in it',
    method: 'GET',
    target: '/boom',
    expect: {
      status: 500,
      headers: json,
      json: { message: 'Internal Server Error', requestId },
      leaks: ['hunter2', 'db://', '10.0.0.5', 'refused'],
    },
  },
  {
    name: 'past the deadline: 504 from timeoutGuard',
    method: 'GET',
    target: '/slow',
    expect: { status: 504, headers: json, json: { message: 'Gateway Timeout', requestId } },
  },
]
