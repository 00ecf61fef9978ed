import { events, httpSources } from '@lamina/testing'
import { validator } from '@lamina/validator'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { bodyOf, echoFunction } from './helpers.js'

type View = {
  queryStringParameters: Record<string, unknown>
  pathParameters: Record<string, unknown>
  headers: Record<string, unknown>
  body: unknown
}

const Query = z.object({ page: z.coerce.number().int().min(1).default(1), q: z.string().optional() })
const Path = z.object({ id: z.uuid() })
const Headers = z.object({ 'x-api-key': z.string().min(8) })
const id = '6f1c1d2e-8a4b-4c3d-9e2f-1a2b3c4d5e6f'

describe.each(httpSources)('query, path and headers on $name', ({ factory }) => {
  it('validates the query string and applies coercions and defaults', async () => {
    const { call, seen } = echoFunction(validator({ query: Query }))
    const response = await call(factory({ query: { page: '3', q: 'shoes' } }))
    expect(response.statusCode).toBe(200)
    expect((seen[0] as View).queryStringParameters).toEqual({ page: 3, q: 'shoes' })
  })

  it('gives the query schema {} when the request has no query string', async () => {
    const { call, seen } = echoFunction(validator({ query: Query }))
    await call(factory({}))
    expect((seen[0] as View).queryStringParameters).toEqual({ page: 1 })
  })

  it('answers 400 with query issues', async () => {
    const { call } = echoFunction(validator({ query: Query }))
    const response = await call(factory({ query: { page: 'zero' } }))
    expect(response.statusCode).toBe(400)
    expect(bodyOf(response).issues?.map((issue) => issue.path)).toEqual([['query', 'page']])
  })

  it('validates headers under lower-cased names', async () => {
    const { call, seen } = echoFunction(validator({ headers: Headers }))
    const response = await call(factory({ headers: { 'X-Api-Key': 'abcdefgh12' } }))
    expect(response.statusCode).toBe(200)
    expect((seen[0] as View).headers).toEqual({ 'x-api-key': 'abcdefgh12' })
  })

  it('answers 400 with header issues for a missing header', async () => {
    const { call } = echoFunction(validator({ headers: Headers }))
    const response = await call(factory({}))
    expect(response.statusCode).toBe(400)
    expect(bodyOf(response).issues?.[0]?.path).toEqual(['headers', 'x-api-key'])
  })

  it('answers 400 with path issues when a path parameter is missing or malformed', async () => {
    const { call } = echoFunction(validator({ path: Path }))
    const response = await call(factory({ pathParameters: { id: 'not-a-uuid' } }))
    expect(response.statusCode).toBe(400)
    expect(bodyOf(response).issues?.[0]?.path).toEqual(['path', 'id'])
  })

  it('reports the issues of every failing part in one response', async () => {
    const { call } = echoFunction(validator({ query: Query, headers: Headers, body: z.object({ n: z.number() }) }))
    const response = await call(factory({ query: { page: '-1' }, body: { n: 'one' } }))
    const body = bodyOf(response)
    expect(response.statusCode).toBe(400)
    expect(body.message).toMatch(/headers, query and body did not pass/)
    expect(body.issues?.map((issue) => issue.path[0])).toEqual(['headers', 'query', 'body'])
  })

  it('leaves the event Lambda passed in untouched', async () => {
    const { call, seen } = echoFunction(validator({ query: Query, body: z.object({ n: z.number() }) }))
    const event = factory({ query: { page: '2' }, body: { n: 1 } })
    const before = structuredClone(event)
    await call(event)
    expect(event).toEqual(before)
    expect(seen[0]).not.toBe(event)
  })
})

// Only API Gateway routes have path parameters; ALB and function URL events never carry them.
const routedSources = httpSources.filter(({ name }) => name === 'apiGatewayV1' || name === 'apiGatewayV2')

describe.each(routedSources)('path parameters on $name', ({ factory }) => {
  it('validates path parameters', async () => {
    const { call, seen } = echoFunction(validator({ path: Path }))
    const response = await call(factory({ pathParameters: { id } }))
    expect(response.statusCode).toBe(200)
    expect((seen[0] as View).pathParameters).toEqual({ id })
  })
})

describe('ALB query strings', () => {
  it('are percent-decoded, because an ALB passes them as sent', async () => {
    const { call, seen } = echoFunction(validator({ query: z.object({ q: z.string(), tag: z.string() }) }))
    await call(events.alb({ query: { q: 'red%20shoes+size%3D9', tag: '100%' } }))
    // A malformed escape ('100%') was sent literally, so it is kept as it is.
    expect((seen[0] as View).queryStringParameters).toEqual({ q: 'red shoes size=9', tag: '100%' })
  })

  it('are left alone on API Gateway, which decodes them itself', async () => {
    const { call, seen } = echoFunction(validator({ query: z.object({ q: z.string() }) }))
    await call(events.apiGatewayV2({ query: { q: 'a%20b' } }))
    expect((seen[0] as View).queryStringParameters).toEqual({ q: 'a%20b' })
  })
})

describe('repeated header names', () => {
  it('joins values whose names differ only in case', async () => {
    const { call, seen } = echoFunction(validator({ headers: z.record(z.string(), z.string()) }))
    await call(events.apiGatewayV1({ headers: { Accept: 'text/html', accept: 'application/json' } }))
    expect((seen[0] as View).headers.accept).toBe('text/html, application/json')
  })
})
