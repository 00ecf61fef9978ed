import { wrap } from '@lamina/core'
import { events, invoke } from '@lamina/testing'
import { ValidationError, validator } from '@lamina/validator'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { bodyOf, echoFunction } from './helpers.js'

type View = { headers: unknown; queryStringParameters: Record<string, unknown>; body: unknown }

describe('events with missing pieces', () => {
  it('answers 415 for a body on an event with no headers object at all', async () => {
    const { call } = echoFunction(validator({ body: z.object({}) }))
    const event = { ...events.apiGatewayV1({ body: '{}' }), headers: null }
    const response = await call(event)
    expect(response.statusCode).toBe(415)
  })

  it('gives a headers schema {} for an event with no headers object', async () => {
    const { call, seen } = echoFunction(validator({ headers: z.record(z.string(), z.string()) }))
    await call({ ...events.apiGatewayV1({}), headers: null })
    expect((seen[0] as View).headers).toEqual({})
  })
})

describe('body details', () => {
  it('ignores a UTF-8 byte order mark before JSON', async () => {
    const { call, seen } = echoFunction(validator({ body: z.object({ n: z.number() }) }))
    const response = await call(
      events.apiGatewayV2({ body: '\ufeff{"n":1}', headers: { 'content-type': 'application/json' } }),
    )
    expect(response.statusCode).toBe(200)
    expect((seen[0] as View).body).toEqual({ n: 1 })
  })
})

describe('ALB query parameters', () => {
  it('folds names that are equal once decoded, with a comma, as API Gateway v2 does', async () => {
    const { call, seen } = echoFunction(validator({ query: z.record(z.string(), z.string()) }))
    await call(events.alb({ query: { 'a b': '1', 'a%20b': '2' } }))
    expect((seen[0] as View).queryStringParameters).toEqual({ 'a b': '1,2' })
  })

  it('passes values that are not strings through undecoded', async () => {
    const { call, seen } = echoFunction(validator({ query: z.record(z.string(), z.unknown()) }))
    await call({ ...events.alb({}), queryStringParameters: { tags: ['a%20b'] } })
    expect((seen[0] as View).queryStringParameters).toEqual({ tags: ['a%20b'] })
  })
})

describe('a request where some parts pass and some fail', () => {
  it('reports only the failing parts', async () => {
    const { call } = echoFunction(
      validator({ query: z.object({ page: z.string() }), body: z.object({ n: z.number() }) }),
    )
    const response = await call(events.apiGatewayV2({ query: { page: '1' }, body: { n: 'x' } }))
    expect(bodyOf(response).message).toMatch(/request body did not pass/)
    expect(bodyOf(response).issues).toHaveLength(1)
  })
})

describe('callable schemas and issues without a path', () => {
  it('accepts a schema that is a function (as arktype builds them) and a root-level issue', async () => {
    // Prepare: a function carrying the Standard Schema properties.
    const schema = Object.assign(() => undefined, {
      '~standard': { version: 1 as const, vendor: 'callable', validate: () => ({ issues: [{ message: 'nope' }] }) },
    })
    const { call } = echoFunction(validator({ body: schema }))
    // Act
    const response = await call(events.apiGatewayV2({ body: {} }))
    // Assess
    expect(bodyOf(response).issues).toEqual([{ path: ['body'], message: 'nope' }])
  })
})

describe('ValidationError', () => {
  it('defaults to a 400 the client may read, with no issues', () => {
    const error = new ValidationError('Bad input; fix it.')
    expect(error).toMatchObject({
      name: 'ValidationError',
      statusCode: 400,
      status: 400,
      expose: true,
      issues: [],
      parts: [],
    })
    expect(error).toBeInstanceOf(Error)
  })

  it('hides the message of a 5xx by default and keeps its cause', () => {
    const cause = new Error('inner')
    const error = new ValidationError('Broken response.', { statusCode: 500, cause })
    expect(error.expose).toBe(false)
    expect(error.cause).toBe(cause)
  })
})

describe('stack traces', () => {
  it('are not captured for bad input, and the global limit is left as it was', async () => {
    // Prepare
    const limit = Error.stackTraceLimit
    const handler = wrap<unknown>()
      .use(validator({ body: z.object({ n: z.number() }) }))
      .handler(async () => 'unreachable')
    // Act
    const invalid = await invoke(handler, events.apiGatewayV2({ body: { n: 'x' } })).catch((thrown) => thrown)
    const malformed = await invoke(
      handler,
      events.apiGatewayV2({ body: '{', headers: { 'content-type': 'application/json' } }),
    ).catch((thrown) => thrown)
    // Assess: the stack is the header line alone; the issues say what went wrong.
    expect((invalid as Error).stack).toBe(`ValidationError: ${(invalid as Error).message}`)
    expect((malformed as Error).stack).not.toMatch(/\n\s+at /)
    expect(Error.stackTraceLimit).toBe(limit)
  })

  it('are kept for a response that fails its schema: that one is a bug in the code', async () => {
    const handler = wrap<unknown>()
      .use(validator({ response: z.object({ statusCode: z.number() }) }))
      .handler(async () => ({ statusCode: 'oops' }))
    const error = await invoke(handler, events.apiGatewayV2()).catch((thrown) => thrown)
    expect((error as Error).stack).toMatch(/\n\s+at /)
  })
})
