import { createContext } from '@lamina/testing'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { recordConcurrency } from '../src/limits.js'
import { failedIds, ids, objectCreated, orderLine, type Processing, sqsBatch, startProcessing } from './processing.js'

let processing: Processing
beforeAll(async () => {
  processing = await startProcessing()
})
afterAll(() => processing.stop())

test('near the deadline, records still running and records not started are reported failed: none is lost', async () => {
  // Prepare: two quick files, then as many slow ones as run at once (s3rver holds their reads),
  // then four more that can only start once a slot frees.
  const quick = ['orders/quick-1.jsonl', 'orders/quick-2.jsonl']
  const slow = Array.from({ length: recordConcurrency }, (_, index) => `orders/slow-${index + 1}.jsonl`)
  const waiting = ['orders/later-1.jsonl', 'orders/later-2.jsonl', 'orders/later-3.jsonl', 'orders/later-4.jsonl']
  const keys = [...quick, ...slow, ...waiting]
  for (const key of keys) await processing.putObject(key, orderLine('o-1', 'lamina-mug', 1, 1200))
  const event = sqsBatch(keys.map((key) => objectCreated(key)))
  const slowReads = processing.hold(/^GET \/inputbucket\/orders\/slow-/)
  // The deadline timers (the batch's cutoff, the guard's) on a clock the test moves; the rest is real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  try {
    // Act: the invocation has 10 s; every slot is taken by a slow read, then 9.2 s pass.
    const answer = processing.handler(event, createContext({ timeoutMs: 10_000 }))
    await slowReads.reached(recordConcurrency)
    // The batch stops 1 s before the deadline (its marginMs), before the guard's 0.3 s.
    vi.advanceTimersByTime(9_200)
    const response = await answer
    // Assess
    const failed = failedIds(response)
    const succeeded = ids(event.Records).filter((id) => !failed.includes(id))
    expect(succeeded).toEqual(ids(event.Records.slice(0, quick.length)))
    expect(failed.sort()).toEqual(ids(event.Records.slice(quick.length)).sort())
    for (const key of quick) expect(await processing.readSummary(key)).toMatchObject({ orders: 1 })
    for (const key of [...slow, ...waiting]) expect(await processing.readSummary(key)).toBeUndefined()
    // The records not started were never read: they come back whole with the next delivery.
    expect(processing.requests.filter((request) => request.startsWith('GET /inputbucket/orders/later-'))).toEqual([])
    expect(processing.output.records()).toContainEqual(
      expect.objectContaining({
        message: 'Batch records not started before the deadline',
        count: waiting.length,
      }),
    )
  } finally {
    vi.useRealTimers()
    slowReads.release()
  }
})
