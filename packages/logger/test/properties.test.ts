import { defaultCorrelationId } from '@lamina/logger'
import { events } from '@lamina/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findCorrelationId, readPath } from '../src/correlation-id.js'
import { mask, redactPaths } from '../src/redaction.js'

const segment = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'a', 'b', '0'), fc.string())
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'))

/** What a correlation id source's value becomes on a line: a non-empty string, a finite number as text, or nothing. */
const asLogValue = (found: unknown) =>
  typeof found === 'number' && Number.isFinite(found)
    ? String(found)
    : typeof found === 'string' && found !== ''
      ? found
      : undefined

type Bag = Record<string, unknown>
const isBag = (value: unknown): value is Bag => typeof value === 'object' && value !== null

/**
 * Puts `value` at `where` inside `event`, making (or replacing) the containers on the way as own
 * data properties, so that `readPath(event, where)` finds it, `__proto__` segments included.
 */
function plant(event: Bag, where: string, value: string): void {
  const segments = where.split('.')
  let container = event
  segments.forEach((key, index) => {
    const last = index === segments.length - 1
    const existing = Object.hasOwn(container, key) ? container[key] : undefined
    // Arrays are replaced too: an event parsed from JSON never has named properties on one.
    const next = last ? value : isBag(existing) && !Array.isArray(existing) ? existing : {}
    Object.defineProperty(container, key, { value: next, enumerable: true, writable: true, configurable: true })
    if (!last) container = next as Bag
  })
}

/** True when the path, or a container on it, was replaced by the mask: its value is gone either way. */
function maskedAt(result: unknown, where: string): boolean {
  const segments = where.split('.')
  return segments.some((_, index) => readPath(result, segments.slice(0, index + 1).join('.')) === mask)
}

describe('correlation id: any input', () => {
  it('only ever yields what the source held as a log value, from a path or the default', () => {
    fc.assert(
      fc.property(fc.anything(), fc.option(path, { nil: undefined }), (event, where) => {
        // Act
        const id = findCorrelationId(event, where)

        // Assess
        const source = where === undefined ? defaultCorrelationId(event) : readPath(event, where)
        expect(id).toBe(asLogValue(source))
      }),
    )
  })

  it('takes a caller’s x-correlation-id header first, else the API Gateway request id', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.option(fc.string(), { nil: undefined }),
        fc.constantFrom('x-correlation-id', 'X-Correlation-Id', 'X-CORRELATION-ID'),
        (requestId, header, name) => {
          // Prepare
          const headers = header === undefined ? {} : { [name]: header }
          const event = events.apiGatewayV2({ requestId, headers })

          // Act
          const id = findCorrelationId(event, undefined)

          // Assess
          expect(id).toBe(asLogValue(header === undefined ? requestId : header))
        },
      ),
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
})

describe('redaction: any event and paths', () => {
  it('masks every planted value, copies, and pollutes nothing', () => {
    // Most paths are planted in the event (so the mask is checked in most cases), some are not.
    const paths = fc.array(fc.record({ where: path, planted: fc.nat(9).map((n) => n < 8) }), { maxLength: 4 })
    fc.assert(
      fc.property(fc.object({ maxDepth: 3 }), paths, (generated, targets) => {
        // Prepare: planted in a copy, so fast-check can replay and shrink the generated value.
        const event = structuredClone(generated) as Bag
        targets.forEach(({ where, planted }, index) => {
          if (planted) plant(event, where, `lamina-secret-${index}`)
        })
        const before = JSON.stringify(event)

        // Act
        const result = redactPaths(
          event,
          targets.map(({ where }) => where),
        )

        // Assess: the event is untouched, every planted value is gone from the copy, and paths
        // that were not there were not made.
        expect(JSON.stringify(event)).toBe(before)
        expect(JSON.stringify(result)).not.toContain('lamina-secret-')
        for (const { where } of targets) {
          if (readPath(event, where) !== undefined) expect(maskedAt(result, where)).toBe(true)
          else expect(readPath(result, where)).toBeUndefined()
        }
        // The last value planted is always in the event, so this case checks the mask for real.
        const lastPlanted = targets.findLastIndex(({ planted }) => planted)
        if (lastPlanted !== -1) {
          const { where } = targets[lastPlanted] as { where: string }
          expect(readPath(event, where)).toBe(`lamina-secret-${lastPlanted}`)
          expect(maskedAt(result, where)).toBe(true)
        }
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
