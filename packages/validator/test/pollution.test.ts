import { httpSources } from '@lamina/testing'
import { validator } from '@lamina/validator'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { echoFunction } from './helpers.js'

// A schema that keeps every key it is given, the way a careless one would.
const KeepEverything = z.record(z.string(), z.unknown())

/** What a handler typically does next with a body: merge it into defaults. */
const mergeLikeAUser = (body: object) => Object.assign({}, body) as Record<string, unknown>

afterEach(() => {
  // Should a test fail by polluting, keep the damage from spreading to the next one.
  delete (Object.prototype as Record<string, unknown>).polluted
})

const json = { 'content-type': 'application/json' }

describe.each(httpSources)('prototype keys on $name', ({ factory }) => {
  it.each([
    ['__proto__', '{"__proto__":{"polluted":"yes"},"ok":1}'],
    ['escaped __proto__', '{"\\u005f_proto__":{"polluted":"yes"},"ok":1}'],
    ['nested __proto__', '{"ok":1,"deep":{"__proto__":{"polluted":"yes"}}}'],
    ['constructor.prototype', '{"constructor":{"prototype":{"polluted":"yes"}},"ok":1}'],
    ['prototype', '{"prototype":{"polluted":"yes"},"ok":1}'],
  ])('drops %s keys from JSON bodies', async (_label, body) => {
    // Prepare
    const { call, seen } = echoFunction(validator({ body: KeepEverything }))
    // Act
    const response = await call(factory({ body, headers: json }))
    const parsed = (seen[0] as { body: Record<string, unknown> }).body
    const merged = mergeLikeAUser(parsed)
    // Assess
    expect(response.statusCode).toBe(200)
    expect(parsed.ok).toBe(1)
    expect(Object.hasOwn(parsed, '__proto__')).toBe(false)
    expect(Object.hasOwn(parsed, 'constructor')).toBe(false)
    expect(Object.hasOwn(parsed, 'prototype')).toBe(false)
    expect(merged.polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('drops __proto__ and constructor fields from form bodies', async () => {
    const { call, seen } = echoFunction(validator({ body: KeepEverything, form: true }))
    const response = await call(
      factory({
        body: '__proto__=yes&constructor=yes&prototype=yes&ok=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    )
    const parsed = (seen[0] as { body: Record<string, unknown> }).body
    expect(response.statusCode).toBe(200)
    expect(Object.keys(parsed)).toEqual(['ok'])
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
  })

  it('drops __proto__ from query, path and header names', async () => {
    const { call, seen } = echoFunction(
      validator({ query: KeepEverything, path: KeepEverything, headers: KeepEverything }),
    )
    const response = await call(
      factory({
        query: { ['__proto__']: 'yes', ok: '1' },
        pathParameters: { constructor: 'yes', ok: '1' },
        headers: { ['__proto__']: 'yes', ok: '1' },
      }),
    )
    const view = seen[0] as Record<string, Record<string, unknown>>
    expect(response.statusCode).toBe(200)
    expect(Object.hasOwn(view.queryStringParameters ?? {}, '__proto__')).toBe(false)
    expect(Object.hasOwn(view.headers ?? {}, '__proto__')).toBe(false)
    expect(Object.getPrototypeOf(view.queryStringParameters)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('JSON that merely mentions the names', () => {
  it('keeps values equal to "constructor" and strings with \\u escapes', async () => {
    const [{ factory }] = httpSources as [(typeof httpSources)[number]]
    const { call, seen } = echoFunction(validator({ body: KeepEverything }))
    await call(factory({ body: '{"role":"constructor","name":"\\u00c5sa"}', headers: json }))
    expect((seen[0] as { body: unknown }).body).toEqual({ role: 'constructor', name: 'Åsa' })
  })

  it('parses a JSON string or array at the root with \\u escapes', async () => {
    const [{ factory }] = httpSources as [(typeof httpSources)[number]]
    const { call, seen } = echoFunction(validator({ body: z.unknown() }))
    await call(factory({ body: '"\\u00c5sa"', headers: json }))
    await call(factory({ body: '[null,"\\u00c5",{"__proto__":1}]', headers: json }))
    expect(seen.map((event) => (event as { body: unknown }).body)).toEqual(['Åsa', [null, 'Å', {}]])
  })
})

describe('deeply nested JSON', () => {
  it('is cleaned without overflowing the call stack', async () => {
    // Prepare: 100,000 levels (600 KB), with a \u escape so the cleaning walk runs.
    const depth = 100_000
    const body = `${'{"a":'.repeat(depth)}{"\\u005f_proto__":{"polluted":"yes"}}${'}'.repeat(depth)}`
    const [{ factory }] = httpSources as [(typeof httpSources)[number]]
    const { call, seen } = echoFunction(validator({ body: z.unknown() }))
    // Act
    await call(factory({ body, headers: json }))
    // Assess: walk down to the innermost object.
    let node = (seen[0] as { body: Record<string, unknown> }).body
    for (let level = 0; level < depth; level++) node = node.a as Record<string, unknown>
    expect(Object.keys(node)).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
