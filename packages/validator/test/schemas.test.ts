import { wrap } from '@lamina/core'
import { events, invoke } from '@lamina/testing'
import { ValidationError, validator } from '@lamina/validator'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { bodyOf, echoFunction } from './helpers.js'

describe('valibot schemas', () => {
  const Signup = v.object({
    email: v.pipe(v.string(), v.email()),
    age: v.pipe(v.string(), v.transform(Number), v.number(), v.minValue(18)),
  })

  it('validate and transform a body', async () => {
    const { call, seen } = echoFunction(validator({ body: Signup }))
    const response = await call(events.apiGatewayV2({ body: { email: 'ada@example.com', age: '36' } }))
    expect(response.statusCode).toBe(200)
    expect((seen[0] as { body: unknown }).body).toEqual({ email: 'ada@example.com', age: 36 })
  })

  it('report issues with their paths', async () => {
    const { call } = echoFunction(validator({ body: Signup }))
    const response = await call(events.alb({ body: { email: 'nope', age: '12' } }))
    expect(response.statusCode).toBe(400)
    expect(bodyOf(response).issues?.map((issue) => issue.path)).toEqual([
      ['body', 'email'],
      ['body', 'age'],
    ])
  })

  it('run async pipelines', async () => {
    const taken = new Set(['ada@example.com'])
    const Unique = v.objectAsync({
      email: v.pipeAsync(
        v.string(),
        v.checkAsync(async (email) => !taken.has(email), 'This email is already registered.'),
      ),
    })
    const { call } = echoFunction(validator({ body: Unique }))
    const response = await call(events.functionUrl({ body: { email: 'ada@example.com' } }))
    expect(response.statusCode).toBe(400)
    expect(bodyOf(response).issues).toEqual([{ path: ['body', 'email'], message: 'This email is already registered.' }])
  })
})

describe('async zod schemas', () => {
  it('are awaited, in every part at once', async () => {
    const later = <T>(value: T) => new Promise<T>((resolve) => setImmediate(() => resolve(value)))
    const { call, seen } = echoFunction(
      validator({
        query: z.object({ page: z.string() }).refine(async () => later(true)),
        body: z.object({ n: z.number() }).transform(async (body) => later({ doubled: body.n * 2 })),
      }),
    )
    const response = await call(events.apiGatewayV1({ query: { page: '1' }, body: { n: 4 } }))
    expect(response.statusCode).toBe(200)
    expect((seen[0] as { body: unknown }).body).toEqual({ doubled: 8 })
  })

  it('reject with a ValidationError when an async refinement fails', async () => {
    const handler = wrap<unknown>()
      .use(validator({ body: z.object({ n: z.number() }).refine(async (body) => body.n > 10, 'too small') }))
      .handler(async () => 'unreachable')
    const error = await invoke(handler, events.apiGatewayV2({ body: { n: 1 } })).catch((thrown) => thrown)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues).toEqual([{ path: ['body'], message: 'too small' }])
  })
})

describe('issue bounds', () => {
  it('caps the number of issues and the length of messages and keys sent back', async () => {
    // Prepare: a body with 500 failing items under a 1,000-character key, and a long message.
    const longKey = 'k'.repeat(1000)
    const Items = z.record(z.string(), z.array(z.number().refine(() => false, 'm'.repeat(1000))))
    const { call } = echoFunction(validator({ body: Items }))
    // Act
    const response = await call(events.apiGatewayV2({ body: { [longKey]: Array.from({ length: 500 }, () => 1) } }))
    const issues = bodyOf(response).issues ?? []
    // Assess
    expect(response.statusCode).toBe(400)
    expect(issues).toHaveLength(100)
    expect(String(issues[0]?.path[1]).length).toBeLessThanOrEqual(128)
    expect(String(issues[0]?.message).length).toBeLessThanOrEqual(256)
    expect(issues[0]?.path[2]).toBe(0)
  })

  it('names symbol keys and path segment objects as strings', async () => {
    const symbolic = {
      '~standard': {
        version: 1 as const,
        vendor: 'hand-made',
        validate: () => ({ issues: [{ message: 'bad', path: [Symbol('field'), { key: 'nested' }, 2] }] }),
      },
    }
    const { call } = echoFunction(validator({ body: symbolic }))
    const response = await call(events.apiGatewayV2({ body: {} }))
    expect(bodyOf(response).issues).toEqual([{ path: ['body', 'Symbol(field)', 'nested', 2], message: 'bad' }])
  })
})

describe('options', () => {
  it.each([
    ['a non-schema body', { body: { parse: () => 1 } }, /"body" is not a Standard Schema v1/],
    ['a fractional maxBodyBytes', { maxBodyBytes: 1.5 }, /maxBodyBytes must be a whole number/],
    ['a negative maxBodyBytes', { maxBodyBytes: -1 }, /maxBodyBytes must be a whole number/],
    ['an invalidStatus of 418', { invalidStatus: 418 }, /invalidStatus must be 400 or 422/],
    ['a form option that is not a boolean', { form: 'yes' }, /form must be true or false/],
  ])('reject %s at init', (_label, options, message) => {
    expect(() => validator(options as never)).toThrow(message)
  })

  it('rejects a missing options object at init', () => {
    expect(() => validator(null as never)).toThrow(/takes an options object/)
  })
})
