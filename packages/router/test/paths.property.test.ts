// Any path a client can send: the router either serves the route it should or answers 404/405;
// it never throws anything else and never writes to a prototype.
import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { type HttpEvent, router } from '@lamina/router'
import { createContext, type HttpAnswer, httpSources } from '@lamina/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normalPath } from '../src/request-path.js'

const echo = (route: string) => (event: { pathParameters: Record<string, string> }) => ({
  statusCode: 200,
  body: JSON.stringify({ route, params: event.pathParameters }),
})

const handler = wrap<HttpEvent>()
  .use(errorMapper())
  .handler(
    router()
      .get('/', echo('root'))
      .get('/users/me', echo('me'))
      .get('/users/{id}', echo('user'))
      .post('/users/{id}', echo('update'))
      .get('/users/{id}/orders/{orderId}', echo('order'))
      .get('/files/{proxy+}', echo('file'))
      .get('/{constructor}/{__lookupGetter__}', echo('prototype names')),
  )

const serve = async (event: object) => {
  const answer = (await handler(event as HttpEvent, createContext())) as HttpAnswer
  return {
    status: answer.statusCode,
    body: answer.statusCode === 200 && answer.body !== '' ? parse(answer.body) : undefined,
  }
}
const parse = (body: string) => JSON.parse(body) as { route?: string; params?: Record<string, string> }

const anyText = fc.string({ unit: 'binary', maxLength: 40 })
const segmentChars = fc.constantFrom(...'abcXYZ019-._~%/?#:@!$&()*+,;=[]{}| é\u0000€😀'.split(''))
const pathLike = fc
  .array(
    fc.oneof(
      anyText,
      fc.string({ unit: segmentChars, maxLength: 12 }),
      fc.constantFrom('__proto__', 'constructor', 'prototype', '..', '.', ''),
    ),
    {
      maxLength: 6,
    },
  )
  .map((segments) => `/${segments.join('/')}`)
const method = fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', 'OPTIONS', 'DELETE', 'TRACE', 'get', '')

// A segment value a client means literally: well-formed text without a "/".
const segmentValue = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
  .filter((value) => !value.includes('/'))

describe('any path', () => {
  it.each(httpSources)(
    'on $name is served by a route or answered 404/405, and never pollutes a prototype',
    async ({ factory }) => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(pathLike, anyText), method, async (path, verb) => {
          // Act
          const event = factory({})
          const { status } = await serve({ ...event, ...pathField(event, path, verb) })
          // Assess
          expect([200, 204, 404, 405]).toContain(status)
          expect(({} as Record<string, unknown>).polluted).toBeUndefined()
          expect(Object.keys(Object.prototype)).toEqual([])
        }),
        { numRuns: 300 },
      )
    },
  )
})

/** The path (and method) written where the source keeps it, so any string reaches the router. */
function pathField(event: object, path: string, verb: string): object {
  if ('rawPath' in event) {
    const v2 = event as unknown as { requestContext: { http: object } }
    return {
      rawPath: path,
      requestContext: { ...v2.requestContext, http: { ...v2.requestContext.http, path, method: verb } },
    }
  }
  return { path, httpMethod: verb }
}

describe('a path parameter', () => {
  it('arrives decoded, whatever the client encoded, on a source that passes the path encoded (REST)', async () => {
    const rest = httpSources.find((source) => source.name === 'apiGatewayV1')
      ?.factory as (typeof httpSources)[number]['factory']
    await fc.assert(
      fc.asyncProperty(segmentValue, async (id) => {
        const { body } = await serve(rest({ path: `/users/${encodeURIComponent(id)}` }))
        expect(body?.params?.id).toBe(id)
      }),
      { numRuns: 300 },
    )
  })

  it('arrives as sent on a source that passes the path decoded (HTTP API), when it holds no "%"', async () => {
    const httpApi = httpSources.find((source) => source.name === 'apiGatewayV2')
      ?.factory as (typeof httpSources)[number]['factory']
    await fc.assert(
      fc.asyncProperty(
        segmentValue.filter((id) => !id.includes('%') && id !== '.' && id !== '..' && id !== 'me'),
        async (id) => {
          const { body } = await serve(httpApi({ path: `/users/${id}` }))
          expect(body).toEqual({ route: 'user', params: { id } })
        },
      ),
      { numRuns: 300 },
    )
  })

  it('{proxy+} gets every segment after its prefix, joined by "/"', async () => {
    const rest = httpSources.find((source) => source.name === 'apiGatewayV1')
      ?.factory as (typeof httpSources)[number]['factory']
    await fc.assert(
      fc.asyncProperty(fc.array(segmentValue, { minLength: 1, maxLength: 5 }), async (segments) => {
        const { body } = await serve(rest({ path: `/files/${segments.map(encodeURIComponent).join('/')}` }))
        expect(body).toEqual({ route: 'file', params: { proxy: segments.join('/') } })
      }),
      { numRuns: 200 },
    )
  })
})

describe('the normal form of a path', () => {
  // RFC 3986: the characters a path segment may hold literally, and the separator.
  const pchar = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/
  const asciiButPercent = fc.constantFrom(
    ...Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).filter((character) => character !== '%'),
    'é',
  )

  it('is the path itself exactly when every character may stand in a path literally', () => {
    fc.assert(
      fc.property(fc.string({ unit: asciiButPercent, maxLength: 12 }), (text) => {
        // Act
        const normal = normalPath(`/${text}`)
        // Assess
        expect(normal === `/${text}`).toBe(pchar.test(text))
      }),
      { numRuns: 2000 },
    )
  })
})
