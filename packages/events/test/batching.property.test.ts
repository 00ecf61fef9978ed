// Any number of details of any sizes (within PutEvents' per-entry limit), with any pattern of
// retryable entry failures: every detail is published exactly once, in calls of at most 10
// entries and 256 KB, and the ids come back in the order the details were given.
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { entrySize, maxEntriesPerCall, maxRequestBytes, publisher, toBatches } from '@lamina/events'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type EventBridgeServer, startEventBridgeServer } from '../../../test/support/eventbridge-server.js'

let server: EventBridgeServer
let client: EventBridgeClient

beforeAll(async () => {
  server = await startEventBridgeServer()
  client = server.client()
})

afterAll(() => server.close())

// Mostly small details, some large enough (up to 120 KB) that a few fill a call's 256 KB.
const padding = fc.oneof(
  { weight: 9, arbitrary: fc.nat({ max: 200 }) },
  { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 120_000 }) },
)

describe('publisher().publish: batching', () => {
  test('every detail published exactly once, no call over 10 entries or 256 KB, ids in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ padding, failures: fc.nat({ max: 2 }) }), { maxLength: 45, size: 'max' }),
        async (plan) => {
          // Prepare: detail n fails `failures` times with a retryable code before it is taken.
          server.reset()
          const details = plan.map((item, n) => ({ n, pad: 'é'.repeat(item.padding) }))
          const failuresLeft = plan.map((item) => item.failures)
          server.answerEntries((entry) => {
            const { n } = JSON.parse(entry.Detail as string) as { n: number }
            if ((failuresLeft[n] as number) === 0) return undefined
            failuresLeft[n] = (failuresLeft[n] as number) - 1
            return { errorCode: n % 2 === 0 ? 'ThrottlingException' : 'InternalFailure' }
          })
          const events = publisher<{ Sized: { n: number; pad: string } }>({
            client,
            eventBusName: 'property',
            source: 'lamina.property',
            maxAttempts: 3,
            retryBaseMs: 0,
          })

          // Act
          const { eventIds } = await events.publish('Sized', details)

          // Assess
          const publishedNs = server.published
            .map((entry) => JSON.parse(entry.Detail as string).n)
            .sort((a, b) => a - b)
          expect(publishedNs).toEqual(details.map((detail) => detail.n))
          for (const call of server.calls) {
            expect(call.entries.length).toBeLessThanOrEqual(maxEntriesPerCall)
            expect(call.entries.reduce((sum, entry) => sum + entrySize(entry as never), 0)).toBeLessThanOrEqual(
              maxRequestBytes,
            )
          }
          const idOf = new Map(server.published.map((entry) => [JSON.parse(entry.Detail as string).n, entry.EventId]))
          expect(eventIds).toEqual(details.map((detail) => idOf.get(detail.n)))
        },
      ),
      { numRuns: 25 },
    )
  })
})

// Small entries (so the 10-entry limit decides) and large ones (so the 256 KB limit does).
const entrySizes = fc.oneof(
  { weight: 5, arbitrary: fc.nat({ max: 2_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: maxRequestBytes }) },
)

describe('toBatches', () => {
  test('keeps every item once and in order, within 10 items and 256 KB a batch, starting a new one only when needed', () => {
    fc.assert(
      fc.property(fc.array(entrySizes, { maxLength: 60, size: 'max' }), (sizes) => {
        // Act
        const batches = toBatches(
          sizes.map((size, index) => ({ size, index })),
          (item) => item.size,
        )

        // Assess
        expect(batches.flat().map((item) => item.index)).toEqual(sizes.map((_, index) => index))
        batches.forEach((batch, position) => {
          const bytes = batch.reduce((sum, item) => sum + item.size, 0)
          expect(batch.length).toBeGreaterThan(0)
          expect(batch.length).toBeLessThanOrEqual(maxEntriesPerCall)
          expect(bytes).toBeLessThanOrEqual(maxRequestBytes)
          const next = batches[position + 1]?.[0]
          // Greedy: the next batch's first item did not fit in this one.
          if (next) expect(batch.length === maxEntriesPerCall || bytes + next.size > maxRequestBytes).toBe(true)
        })
      }),
    )
  })

  test('entrySize counts as EventBridge does: 14 bytes for Time, UTF-8 bytes of the rest', () => {
    expect(entrySize({ Source: 'a', DetailType: 'é', Detail: '{}', Resources: ['r1', 'r2'], Time: new Date(0) })).toBe(
      14 + 1 + 2 + 2 + 4,
    )
    expect(entrySize({})).toBe(0)
  })
})
