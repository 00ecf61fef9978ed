import { batch } from '@lamina/batch'
import { createContext, events } from '@lamina/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { collectingLogger, failedIds } from './helpers.js'

// Each record is good, fails its schema, is not JSON, or makes the callback throw (synchronously,
// asynchronously, or with a value that is not an Error).
type Kind = 'good' | 'schema' | 'not-json' | 'throws' | 'rejects' | 'throws-value'
const kind = fc.constantFrom<Kind>('good', 'schema', 'not-json', 'throws', 'rejects', 'throws-value')

const bodyFor = (kind: Kind, index: number): unknown => {
  if (kind === 'schema') return { index, value: 'not a number' }
  if (kind === 'not-json') return `{ broken ${index}`
  return { index, value: index, kind }
}

describe('batch() property: failures are reported exactly', () => {
  it('reports every failing record, and never a successful one, for any mix, order and concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(kind, { minLength: 1, maxLength: 30 }),
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
        fc.constantFrom('sqs', 'kinesis'),
        async (kinds, concurrency, source) => {
          // Prepare
          const processed: number[] = []
          const handler = batch({
            schema: z.object({ index: z.number(), value: z.number(), kind: z.string() }),
            throwOnFullBatchFailure: false,
            logger: collectingLogger(),
            ...(concurrency === undefined ? {} : { concurrency }),
            record: async ({ index, kind }) => {
              await Promise.resolve()
              if (kind === 'throws') throw new Error(`record ${index} failed`)
              if (kind === 'rejects') return Promise.reject(new RangeError('rejected'))
              if (kind === 'throws-value') throw { index }
              processed.push(index)
            },
          })
          const bodies = kinds.map(bodyFor)
          const event = source === 'sqs' ? events.sqs(bodies) : events.kinesis(bodies)
          const idOf = (index: number) =>
            source === 'sqs'
              ? (event as ReturnType<typeof events.sqs>).Records[index]!.messageId
              : (event as ReturnType<typeof events.kinesis>).Records[index]!.kinesis.sequenceNumber
          const expectedFailures = kinds.flatMap((k, index) => (k === 'good' ? [] : [idOf(index)])).sort()
          const expectedGood = kinds.flatMap((k, index) => (k === 'good' ? [index] : []))

          // Act
          const response = await handler(event as never, createContext({ timeoutMs: 60_000 }))

          // Assess
          expect(failedIds(response)).toEqual(expectedFailures)
          expect(processed.sort((a, b) => a - b)).toEqual(expectedGood)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('on a FIFO queue, reports the first failure and everything after it, and nothing before', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(kind, { minLength: 1, maxLength: 10 }), async (kinds) => {
        // Prepare
        const handler = batch({
          schema: z.object({ index: z.number(), value: z.number(), kind: z.string() }),
          throwOnFullBatchFailure: false,
          logger: collectingLogger(),
          record: ({ kind }) => {
            if (kind !== 'good') throw new Error('failed')
          },
        })
        const event = events.sqs(kinds.map(bodyFor), { fifo: true })
        const first = kinds.findIndex((k) => k !== 'good')
        const expected = first === -1 ? [] : event.Records.slice(first).map((record) => record.messageId)

        // Act
        const response = await handler(event, createContext({ timeoutMs: 60_000 }))

        // Assess
        expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(expected)
      }),
      { numRuns: 100 },
    )
  })
})
