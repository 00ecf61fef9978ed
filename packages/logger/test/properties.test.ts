import { defaultCorrelationId } from '@lamina/logger'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findCorrelationId, readPath } from '../src/correlation-id.js'
import { mask, redactPaths } from '../src/redaction.js'

const segment = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'a', 'b', '0'), fc.string())
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'))

describe('correlation id and redaction: any input', () => {
  it('never throws and only ever yields a non-empty string or nothing', () => {
    fc.assert(
      fc.property(fc.anything(), fc.option(path, { nil: undefined }), (event, where) => {
        const id = findCorrelationId(event, where)
        expect(id === undefined || (typeof id === 'string' && id !== '')).toBe(true)
        expect(() => defaultCorrelationId(event)).not.toThrow()
      }),
    )
  })

  it('reads own properties only: no path reaches a prototype', () => {
    fc.assert(
      fc.property(fc.constantFrom('__proto__', 'constructor', 'toString', '__proto__.constructor'), (where) => {
        expect(readPath({}, where)).toBeUndefined()
        expect(readPath({ a: {} }, `a.${where}`)).toBeUndefined()
      }),
    )
  })

  it('masks exactly the paths that exist, copies, and pollutes nothing', () => {
    fc.assert(
      fc.property(fc.object({ maxDepth: 3 }), fc.array(path, { maxLength: 3 }), (event, paths) => {
        const before = JSON.stringify(event)
        const result = redactPaths(event, paths)
        expect(JSON.stringify(event)).toBe(before)
        for (const where of paths) if (readPath(event, where) !== undefined) expect(readPath(result, where)).toBe(mask)
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        expect(Object.prototype).not.toHaveProperty(mask)
      }),
    )
  })

  it('masks a path through __proto__ as data, not as the prototype', () => {
    // Prepare
    const event = JSON.parse('{"__proto__": {"secret": "x"}, "list": ["a", "b"]}')

    // Act
    const result = redactPaths(event, ['__proto__.secret', 'list.1']) as Record<string, any>

    // Assess
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toEqual({ secret: mask })
    expect(result.list).toEqual(['a', mask])
    expect(Array.isArray(result.list)).toBe(true)
  })
})
