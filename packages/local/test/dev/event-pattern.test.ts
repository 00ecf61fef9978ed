// The EventBridge pattern subset lamina dev matches, against oracles written as plainly as the
// rules read, and the patterns it refuses at startup.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { matchesPattern, unsupportedInPattern } from '../../src/dev/stand-ins/event-pattern.js'
import { checkRules } from '../../src/dev/stand-ins/eventbridge.js'
import type { FunctionSpec } from '../../src/dev/template.js'

const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -50, max: 50 }), fc.boolean(), fc.constant(null))
const key = fc.constantFrom('a', 'b', 'c', 'status', 'total')
const event = fc.record({
  source: fc.constantFrom('shop.orders', 'shop.billing', 'other'),
  'detail-type': fc.constantFrom('OrderPlaced', 'OrderShipped'),
  detail: fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }))),
})

describe('matchesPattern', () => {
  it('property: a pattern of exact values taken from the event matches it; changing one value to one it lacks does not', () => {
    fc.assert(
      fc.property(event, fc.string({ minLength: 7, maxLength: 9 }), (sample, absent) => {
        const detail = Object.fromEntries(
          Object.entries(sample.detail).map(([field, value]) => [
            field,
            Array.isArray(value) ? value.slice(0, 1) : [value],
          ]),
        )
        const pattern = { source: [sample.source], detail }
        const usable = Object.values(detail).every((values) => values.length > 0)
        expect(matchesPattern(pattern, sample)).toBe(usable)
        expect(matchesPattern({ ...pattern, source: [absent] }, sample)).toBe(false)
      }),
    )
  })

  it('property: each operator on one field agrees with its plain oracle, on present and absent fields and arrays', () => {
    const value = fc.option(fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { nil: undefined })
    const operator = fc.oneof(
      scalar.map((exact) => ({ matcher: exact, test: (v: unknown) => v === exact })),
      fc.string({ maxLength: 2 }).map((prefix) => ({
        matcher: { prefix },
        test: (v: unknown) => typeof v === 'string' && v.startsWith(prefix),
      })),
      fc.string({ maxLength: 2 }).map((suffix) => ({
        matcher: { suffix },
        test: (v: unknown) => typeof v === 'string' && v.endsWith(suffix),
      })),
      fc.array(scalar, { minLength: 1, maxLength: 3 }).map((excluded) => ({
        matcher: { 'anything-but': excluded },
        test: (v: unknown) => !excluded.includes(v as never),
      })),
      fc.string({ maxLength: 2 }).map((prefix) => ({
        matcher: { 'anything-but': { prefix } },
        test: (v: unknown) => typeof v === 'string' && !v.startsWith(prefix),
      })),
      fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 40 })).map(([low, width]) => ({
        matcher: { numeric: ['>=', low, '<', low + width] },
        test: (v: unknown) => typeof v === 'number' && low <= v && v < low + width,
      })),
    )
    fc.assert(
      fc.property(value, fc.array(operator, { minLength: 1, maxLength: 3 }), (field, operators) => {
        const sample = { detail: field === undefined ? {} : { status: field } }
        const values = field === undefined ? [] : Array.isArray(field) ? field : [field]
        const expected = operators.some(({ test }) => values.some(test))
        const pattern = { detail: { status: operators.map(({ matcher }) => matcher) } }
        expect(matchesPattern(pattern, sample)).toBe(expected)
      }),
    )
  })

  it('property: exists is about presence of a leaf, and exists: false is its complement', () => {
    fc.assert(
      fc.property(fc.option(fc.oneof(scalar, fc.dictionary(key, scalar)), { nil: undefined }), (field) => {
        const sample = { detail: field === undefined ? {} : { status: field } }
        const leaf = field !== undefined && (typeof field !== 'object' || field === null)
        expect(matchesPattern({ detail: { status: [{ exists: true }] } }, sample)).toBe(leaf)
        expect(matchesPattern({ detail: { status: [{ exists: false }] } }, sample)).toBe(field === undefined)
      }),
    )
  })

  it('matches nested fields, and an absent parent only by exists: false', () => {
    const sample = { source: 's', detail: { order: { state: 'paid', lines: [{ sku: 'a' }] } } }
    expect(matchesPattern({ detail: { order: { state: ['paid'] } } }, sample)).toBe(true)
    expect(matchesPattern({ detail: { order: { state: ['open'] } } }, sample)).toBe(false)
    expect(matchesPattern({ detail: { missing: { state: [{ exists: false }] } } }, sample)).toBe(true)
    expect(matchesPattern({ detail: { missing: { state: ['paid'] } } }, sample)).toBe(false)
    expect(matchesPattern({ detail: { order: { state: [{ 'anything-but': 'open' }] } } }, sample)).toBe(true)
    expect(matchesPattern({ detail: { order: { state: [{ 'anything-but': 'paid' }] } } }, sample)).toBe(false)
    expect(matchesPattern({ detail: { order: [{ exists: true }] } }, sample)).toBe(false)
    expect(matchesPattern({ detail: { n: [{ numeric: ['=', 3] }] } }, { detail: { n: 3 } })).toBe(true)
    expect(matchesPattern({ detail: { n: [{ numeric: ['>', 3] }] } }, { detail: { n: '4' } })).toBe(false)
    expect(matchesPattern({ detail: { n: [{ numeric: ['<=', 3] }] } }, { detail: { n: 3 } })).toBe(true)
    expect(matchesPattern({ detail: { n: [{ numeric: ['>', 3] }] } }, { detail: { n: 3 } })).toBe(false)
    expect(matchesPattern('not a pattern', sample)).toBe(false)
    expect(matchesPattern({ source: ['s'] }, 'not an event')).toBe(false)
  })
})

describe('unsupportedInPattern', () => {
  it.each([
    [
      { source: ['a'], detail: { n: [{ numeric: ['>', 1, '<=', 5] }], s: [{ prefix: 'x' }, null, 3, true] } },
      undefined,
    ],
    [
      { detail: { s: [{ 'anything-but': ['a', 'b'] }, { 'anything-but': { prefix: 'x' } }, { exists: false }] } },
      undefined,
    ],
    [{ $or: [{ source: ['a'] }] }, '$or: the $or operator'],
    [{ detail: { s: [{ wildcard: 'a*' }] } }, 'detail.s: the "wildcard" operator'],
    [{ detail: { s: [{ 'equals-ignore-case': 'a' }] } }, 'detail.s: the "equals-ignore-case" operator'],
    [{ detail: { s: [{ cidr: '10.0.0.0/24' }] } }, 'detail.s: the "cidr" operator'],
    [{ source: [] }, 'source: an empty list (it would match nothing)'],
    [{ source: [{ prefix: 'a', suffix: 'b' }] }, 'source: {"prefix":"a","suffix":"b"}'],
    [{ source: [['a']] }, 'source: ["a"]'],
    [{ source: [{ prefix: 1 }] }, 'source: {"prefix":1} is not a valid prefix operand'],
    [{ source: [{ exists: 'yes' }] }, 'source: {"exists":"yes"} is not a valid exists operand'],
    [{ n: [{ numeric: ['>'] }] }, 'n: {"numeric":[">"]} is not a valid numeric operand'],
    [{ n: [{ numeric: ['~', 1] }] }, 'n: {"numeric":["~",1]} is not a valid numeric operand'],
    [
      { n: [{ 'anything-but': { suffix: 'a' } }] },
      'n: {"anything-but":{"suffix":"a"}} is not a valid anything-but operand',
    ],
    [{ n: [{ 'anything-but': [] }] }, 'n: {"anything-but":[]} is not a valid anything-but operand'],
    ['source', 'the pattern is not an object of fields'],
    [{ detail: 'x' }, 'detail is not an object of fields'],
  ])('%j → %s', (pattern, problem) => {
    expect(unsupportedInPattern(pattern)).toBe(problem)
  })

  it('stops lamina dev at startup with the function, the rule and what it can match', () => {
    const fn = {
      id: 'Consumer',
      rules: [{ name: 'OnOrder', bus: 'default', pattern: { detail: { s: [{ wildcard: 'a*' }] } } }],
    }
    expect(() => checkRules([fn as unknown as FunctionSpec])).toThrow(
      'function Consumer: the Pattern of rule OnOrder uses detail.s: the "wildcard" operator, which lamina dev does not match: write it with exact values, nested fields, prefix, suffix, anything-but, exists, numeric, or try this rule on AWS',
    )
  })
})
