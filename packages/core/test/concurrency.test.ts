import { wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('overlapping invocations in one process (Lambda Managed Instances)', () => {
  test('100 invocations with random delays never see each other’s event, response, internal or signal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 100, maxLength: 100 }), async (delays) => {
        // Prepare: every hook checks that what it reads is still this invocation's own data.
        const mismatches: string[] = []
        const signals = new Set<AbortSignal>()
        const check = (label: string, id: number, seen: unknown) => {
          if (seen !== id) mismatches.push(`${label}: expected ${id}, saw ${String(seen)}`)
        }
        const handler = wrap(async (event: { id: number; delay: number }, _context, { signal }) => {
          signals.add(signal)
          await pause(event.delay)
          return { id: event.id }
        })
          .use({
            before: async (request) => {
              request.internal.id = request.event.id
              await pause(request.event.delay)
              check('internal after await', request.event.id, request.internal.id)
            },
            after: async (request) => {
              await pause(request.event.delay)
              check('response', request.event.id, request.response.id)
              check('internal in after', request.event.id, request.internal.id)
            },
            cleanup: async (request) => {
              await pause(request.event.delay)
              check('internal in cleanup', request.event.id, request.internal.id)
            },
          })
          .use({
            before: (request) => {
              request.internal = { ...request.internal, replacedFor: request.event.id }
            },
            after: (request) => check('replaced internal', request.event.id, request.internal.replacedFor),
          })

        // Act
        const results = await Promise.all(
          delays.map((delay, id) => handler({ id, delay }, createContext({ timeoutMs: 60_000 }))),
        )

        // Assess
        expect(mismatches).toEqual([])
        expect(results.map((result) => result.id)).toEqual(delays.map((_, id) => id))
        expect(signals.size).toBe(100)
      }),
      { numRuns: 5 },
    )
  })
})
