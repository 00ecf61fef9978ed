import { batch, RecordDeadlineError } from '@lamina/batch'
import { createContext, events } from '@lamina/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { collectingLogger, deferred, failedIds } from './helpers.js'

const context = () => createContext({ timeoutMs: 60_000 })

afterEach(() => {
  vi.useRealTimers()
})

describe('batch() concurrency', () => {
  it('runs at most `concurrency` records at once and still processes them all', async () => {
    // Prepare
    let running = 0
    let most = 0
    let done = 0
    const handler = batch({
      concurrency: 2,
      record: async () => {
        running++
        most = Math.max(most, running)
        await new Promise((resolve) => setImmediate(resolve))
        running--
        done++
      },
    })

    // Act
    const response = await handler(events.sqs([{}, {}, {}, {}, {}]), context())

    // Assess
    expect(most).toBe(2)
    expect(done).toBe(5)
    expect(response.batchItemFailures).toEqual([])
  })
})

describe('batch() at the deadline', () => {
  it('reports the running record and every record not started when the invocation signal aborts', async () => {
    // Prepare
    const logger = collectingLogger()
    const slow = deferred()
    const slowStarted = deferred()
    const started: number[] = []
    const handler = batch({
      concurrency: 1,
      logger,
      record: async (payload: unknown) => {
        const { n } = payload as { n: number }
        started.push(n)
        if (n === 1) {
          slowStarted.resolve()
          await slow.promise
        }
      },
    })
    const event = events.sqs([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }])
    const [, running, waiting, last] = event.Records.map((record) => record.messageId)
    const invocation = new AbortController()

    // Act
    const outcome = handler(event, context(), { signal: invocation.signal })
    await slowStarted.promise
    invocation.abort()
    const response = await outcome
    slow.reject(new Error('gave up late')) // a late rejection is handled, never unhandled

    // Assess
    expect(started).toEqual([0, 1])
    expect(failedIds(response)).toEqual([running, waiting, last].sort())
    expect(logger.lines).toEqual([
      expect.objectContaining({
        message: 'Batch record still running at the deadline',
        fields: expect.objectContaining({ itemIdentifier: running }),
      }),
      expect.objectContaining({
        message: 'Batch records not started before the deadline',
        fields: { count: 2, itemIdentifiers: [waiting, last] },
      }),
    ])
  })

  it('stops marginMs before the context deadline, and aborts meta.signal for the running record', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    let sawAbort: unknown
    const handler = batch({
      marginMs: 1000,
      throwOnFullBatchFailure: false,
      logger: collectingLogger(),
      record: (_payload, meta) =>
        new Promise<void>((resolve) => {
          meta.signal.addEventListener('abort', () => {
            sawAbort = meta.signal.aborted
            resolve()
          })
        }),
    })
    const event = events.sqs([{}])

    // Act
    const outcome = handler(event, createContext({ timeoutMs: 5000 }))
    await vi.advanceTimersByTimeAsync(3999)
    let settled = false
    void outcome.then(() => {
      settled = true
    })
    await vi.advanceTimersByTimeAsync(0)
    const before = settled
    await vi.advanceTimersByTimeAsync(1)
    const response = await outcome

    // Assess
    expect(before).toBe(false)
    expect(sawAbort).toBe(true)
    expect(failedIds(response)).toEqual([event.Records[0]?.messageId])
  })

  it('starts nothing when the deadline is already inside the margin, and reports every record', async () => {
    // Prepare
    let calls = 0
    const handler = batch({ throwOnFullBatchFailure: false, logger: collectingLogger(), record: () => void calls++ })
    const event = events.sqs([{}, {}])

    // Act
    const response = await handler(event, createContext({ timeoutMs: 500 }))

    // Assess
    expect(calls).toBe(0)
    expect(failedIds(response)).toEqual(event.Records.map((record) => record.messageId).sort())
  })

  it('throws the whole batch back when the deadline stopped every record', async () => {
    // Prepare
    const handler = batch({ logger: collectingLogger(), record: () => undefined })

    // Act
    const outcome = handler(events.sqs([{}]), createContext({ timeoutMs: 10 }))

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'BatchFailureError',
      recordErrors: [expect.any(RecordDeadlineError)],
    })
  })

  it('has no deadline for a context without one (a local tool), nor for one past the timer range', async () => {
    // Prepare
    const handler = batch({ record: () => undefined })
    const noDeadline = { ...context(), getRemainingTimeInMillis: undefined } as never
    const farAway = { ...context(), getRemainingTimeInMillis: () => 2 ** 31 + 5000 }

    // Act
    const responses = await Promise.all([handler(events.sqs([{}]), noDeadline), handler(events.sqs([{}]), farAway)])

    // Assess
    expect(responses).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }])
  })

  it('treats an already aborted invocation signal as the deadline', async () => {
    // Prepare
    let calls = 0
    const handler = batch({ throwOnFullBatchFailure: false, logger: collectingLogger(), record: () => void calls++ })

    // Act
    const response = await handler(events.sqs([{}]), context(), { signal: AbortSignal.abort() })

    // Assess
    expect(calls).toBe(0)
    expect(response.batchItemFailures).toHaveLength(1)
  })
})
