import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch'
import { batch } from '@lamina/batch'
import { createContext, events } from '@lamina/testing'
import type { SQSRecord } from 'aws-lambda'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { collectingLogger, deferred } from './helpers.js'

// batch() runs records whose steps are all synchronous without a promise each: these tests hold
// that path to what a record handler promises, whatever mix of sync and async records a batch has.
const context = () => createContext({ timeoutMs: 60_000 })
const ids = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
  response.batchItemFailures.map((failure) => failure.itemIdentifier)

describe('batch() with a synchronous record callback', () => {
  it('reports a record whose callback throws as failed, logged, and keeps the others', async () => {
    // Prepare
    const logger = collectingLogger()
    const done: number[] = []
    const handler = batch({
      source: 'sqs',
      schema: z.object({ n: z.number() }),
      logger,
      record: ({ n }) => {
        if (n === 2) throw new Error('out of stock')
        done.push(n)
      },
    })
    const event = events.sqs([{ n: 1 }, { n: 2 }, { n: 3 }])

    // Act
    const response = await handler(event, context())

    // Assess
    expect(ids(response)).toEqual([event.Records[1]?.messageId])
    expect(done).toEqual([1, 3])
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: 'Batch record failed',
        fields: {
          itemIdentifier: event.Records[1]?.messageId,
          recordIndex: 1,
          error: expect.objectContaining({ name: 'Error', message: 'out of stock' }),
        },
      },
    ])
  })

  it('starts every record in record order, before any async one finishes', async () => {
    // Prepare: records 0 and 2 are async and wait on the test, 1 and 3 return at once
    const started: number[] = []
    const gate = deferred()
    const handler = batch({
      logger: collectingLogger(),
      record: (payload: unknown) => {
        const { n } = payload as { n: number }
        started.push(n)
        return n % 2 === 0 ? gate.promise : undefined
      },
    })

    // Act
    const answer = handler(events.sqs([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }]), context())
    const startedBeforeAnyFinished = [...started]
    gate.resolve()
    const response = await answer

    // Assess
    expect(startedBeforeAnyFinished).toEqual([0, 1, 2, 3])
    expect(response).toEqual({ batchItemFailures: [] })
  })

  it('lists failures in record order, whatever order they failed in', async () => {
    // Prepare: record 0 fails last (async), record 1 at once (sync), record 2 in between
    const first = deferred()
    const handler = batch({
      throwOnFullBatchFailure: false,
      logger: collectingLogger(),
      record: async (payload: unknown) => {
        const { n } = payload as { n: number }
        if (n === 0) await first.promise
        if (n === 2) await Promise.resolve()
        throw new Error(`record ${n} failed`)
      },
    })
    const syncFirst = batch({
      throwOnFullBatchFailure: false,
      logger: collectingLogger(),
      record: (payload: unknown, meta) => {
        if (meta.index === 1) throw new Error('sync failure')
        return Promise.resolve().then(() => {
          throw new Error(`record ${(payload as { n: number }).n} failed`)
        })
      },
    })
    const event = events.sqs([{ n: 0 }, { n: 1 }, { n: 2 }])

    // Act
    const answer = handler(event, context())
    setImmediate(first.resolve)
    const response = await answer
    const mixed = await syncFirst(event, context())

    // Assess
    const all = event.Records.map((record) => record.messageId)
    expect(ids(response)).toEqual(all)
    expect(ids(mixed)).toEqual(all)
  })

  it('gives every record a plain meta (its signal an own field, one per batch)', async () => {
    // Prepare
    const metas: Record<string, unknown>[] = []
    const handler = batch({ source: 'sqs', record: (_payload, meta) => void metas.push({ ...meta }) })
    const event = events.sqs([{}, {}])
    const invocation = context()

    // Act
    await handler(event, invocation)

    // Assess: spread keeps every field, the signal included
    expect(metas).toEqual(
      event.Records.map((record, index) => ({
        source: 'sqs',
        record,
        index,
        itemIdentifier: record.messageId,
        signal: expect.any(AbortSignal),
        context: invocation,
      })),
    )
    expect(metas[0]?.signal).toBe(metas[1]?.signal)
  })

  it('does not start the records after one that moves the cutoff (the invocation signal aborts)', async () => {
    // Prepare: the second record aborts the invocation's signal, as a timeout guard would
    const logger = collectingLogger()
    const invocation = new AbortController()
    const started: number[] = []
    const handler = batch({
      throwOnFullBatchFailure: false,
      logger,
      record: (_payload, meta) => {
        started.push(meta.index)
        if (meta.index === 1) invocation.abort()
      },
    })
    const event = events.sqs([{}, {}, {}, {}])

    // Act
    const response = await handler(event, context(), { signal: invocation.signal })

    // Assess
    expect(started).toEqual([0, 1])
    expect(ids(response)).toEqual(event.Records.slice(2).map((record) => record.messageId))
    expect(logger.lines).toEqual([
      expect.objectContaining({
        message: 'Batch records not started before the deadline',
        fields: { count: 2, itemIdentifiers: event.Records.slice(2).map((record) => record.messageId) },
      }),
    ])
  })

  it('fails a record whose callback throws a non-Error value synchronously', async () => {
    // Prepare
    const handler = batch({
      logger: collectingLogger(),
      record: (payload: unknown) => {
        if ((payload as { n: number }).n === 1) throw 'plain text'
      },
    })
    const event = events.sqs([{ n: 0 }, { n: 1 }])

    // Act
    const response = await handler(event, context())

    // Assess
    expect(ids(response)).toEqual([event.Records[1]?.messageId])
  })

  it('keeps to the concurrency limit with synchronous and asynchronous records mixed', async () => {
    // Prepare: every third record waits a turn of the event loop; record 4 throws synchronously
    let running = 0
    let most = 0
    const done: number[] = []
    const handler = batch({
      concurrency: 2,
      logger: collectingLogger(),
      record: (_payload, meta) => {
        running++
        most = Math.max(most, running)
        const finish = () => {
          running--
          done.push(meta.index)
          if (meta.index === 4) throw new Error('record 4 failed')
        }
        if (meta.index % 3 !== 0) return finish()
        return new Promise<void>((resolve) => setImmediate(resolve)).then(finish)
      },
    })
    const event = events.sqs(Array.from({ length: 10 }, (_, n) => ({ n })))

    // Act
    const response = await handler(event, context())

    // Assess
    expect(most).toBe(2)
    expect(done.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(ids(response)).toEqual([event.Records[4]?.messageId])
  })

  it('fails, as not started, a record reached after the cutoff with a limit on concurrency', async () => {
    // Prepare
    const invocation = new AbortController()
    const handler = batch({
      concurrency: 1,
      throwOnFullBatchFailure: false,
      logger: collectingLogger(),
      record: (_payload, meta) => {
        if (meta.index === 0) invocation.abort()
      },
    })
    const event = events.sqs([{}, {}])

    // Act
    const response = await handler(event, context(), { signal: invocation.signal })

    // Assess
    expect(ids(response)).toEqual([event.Records[1]?.messageId])
  })
})

describe('batch() property: the same answer as Powertools by hand', () => {
  type Outcome = 'ok' | 'throws' | 'async-ok' | 'rejects'
  const outcome = fc.constantFrom<Outcome>('ok', 'throws', 'async-ok', 'rejects')

  it('fails exactly the records processPartialResponse fails, sync and async callbacks mixed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(outcome, { minLength: 1, maxLength: 40 }), async (outcomes) => {
        // Prepare: one callback, run by hand through Powertools and through batch()
        const run = (n: number): unknown => {
          const kind = outcomes[n]
          if (kind === 'throws') throw new Error(`record ${n}`)
          if (kind === 'async-ok') return Promise.resolve()
          if (kind === 'rejects') return Promise.reject(new Error(`record ${n}`))
          return undefined
        }
        const event = events.sqs(outcomes.map((_, n) => ({ n })))
        const handler = batch({
          throwOnFullBatchFailure: false,
          logger: collectingLogger(),
          record: (payload: unknown) => run((payload as { n: number }).n),
        })

        // Act
        const byHand = await processPartialResponse(
          event,
          async (record: SQSRecord) => run((JSON.parse(record.body) as { n: number }).n),
          new BatchProcessor(EventType.SQS),
          { context: context(), throwOnFullBatchFailure: false },
        )
        const response = await handler(event, context())

        // Assess: the same records, listed in record order
        expect([...ids(response)].sort()).toEqual([...ids(byHand)].sort())
        expect(ids(response)).toEqual(
          event.Records.filter((_, n) => outcomes[n] === 'throws' || outcomes[n] === 'rejects').map(
            (record) => record.messageId,
          ),
        )
      }),
      { numRuns: 100 },
    )
  })
})
