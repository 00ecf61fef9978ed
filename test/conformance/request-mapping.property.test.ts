// Any combination of headers, query parameters and cookies reaches the Lamina handler the same
// way through both adapters, and as API Gateway's HTTP API would put it in the v2 event.
import { HttpRequest, InvocationContext } from '@azure/functions'
import * as functions from '@google-cloud/functions-framework'
import { getTestServer } from '@google-cloud/functions-framework/testing'
import { toAzure } from '@lamina/azure'
import { toGoogleCloud } from '@lamina/gcp'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen, type Served } from '../../packages/gcp/test/serve.js'

const token = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,15}$/)
// Visible ASCII with inner spaces: what a header value can carry unchanged through every hop.
const headerValue = fc.stringMatching(/^[!-~]([ -~]{0,30}[!-~])?$/)
const cookieValue = fc.stringMatching(/^[A-Za-z0-9!#$%&'()*+\-./:<>?@[\]^_`{|}~]{0,20}$/)

const request = fc.record({
  headers: fc.dictionary(
    token.map((name) => `x-${name}`),
    headerValue,
    { maxKeys: 6 },
  ),
  query: fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 10 })), { maxLength: 6 }),
  cookies: fc.uniqueArray(fc.tuple(token, cookieValue), { maxLength: 5, selector: ([name]) => name }),
})
type Sample = typeof request extends fc.Arbitrary<infer T> ? T : never

/** What the v2 event must hold for a sample: API Gateway's joins and splits. */
function expected(sample: Sample) {
  const query: Record<string, string> = {}
  for (const [name, value] of sample.query) query[name] = query[name] === undefined ? value : `${query[name]},${value}`
  return {
    headers: sample.headers,
    query: Object.keys(query).length === 0 ? undefined : query,
    cookies: sample.cookies.length === 0 ? undefined : sample.cookies.map(([name, value]) => `${name}=${value}`),
  }
}

const sent = (sample: Sample) => ({
  target: `/p?${new URLSearchParams(sample.query)}`,
  headers: {
    ...sample.headers,
    ...(sample.cookies.length === 0
      ? {}
      : { cookie: sample.cookies.map(([name, value]) => `${name}=${value}`).join('; ') }),
  },
})

const seen = (event: APIGatewayProxyEventV2) => ({
  headers: Object.fromEntries(Object.entries(event.headers).filter(([name]) => name.startsWith('x-'))),
  query: event.queryStringParameters,
  cookies: event.cookies,
})

let last: APIGatewayProxyEventV2 | undefined
const record = async (event: APIGatewayProxyEventV2) => {
  last = event
  return { statusCode: 204 }
}

let google: Served
beforeAll(async () => {
  functions.http('mapping-property', toGoogleCloud(record))
  google = await listen(getTestServer('mapping-property'))
})
afterAll(() => google.close())

describe('request mapping: headers, query and cookies round-trip', () => {
  it('through @lamina/azure with real HttpRequest objects', async () => {
    const azure = toAzure(record)
    await fc.assert(
      fc.asyncProperty(request, async (sample) => {
        // Prepare
        const { target, headers } = sent(sample)

        // Act
        await azure(
          new HttpRequest({ method: 'GET', url: `https://h.example${target}`, headers }),
          new InvocationContext(),
        )

        // Assess
        expect(seen(last!)).toEqual(expected(sample))
      }),
      { numRuns: 200 },
    )
  })

  it('through @lamina/gcp over HTTP to the Functions Framework server', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (sample) => {
        // Prepare
        const { target, headers } = sent(sample)

        // Act
        await fetch(`${google.url}${target}`, { headers })

        // Assess
        expect(seen(last!)).toEqual(expected(sample))
      }),
      { numRuns: 100 },
    )
  })
})
