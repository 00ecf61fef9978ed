// Runs that overlap (a slow run and the next one, or EventBridge delivering one event twice), a
// run that crashed holding the lease, and a run that outlived its lease: in each, one run works,
// the others stop cleanly, and no record is applied twice or skipped.
import { events } from '@lamina/testing'
import { describe, expect, it } from 'vitest'
import {
  CrashedError,
  contextWithDeadline,
  expectedTotals,
  fiveMinutes,
  jobState,
  scenario,
  totals,
  useStandIns,
} from './harness.js'

const standIns = useStandIns()

/** A table with `count` records, a clock, and a function (one container) per call of `instance()`. */
const setUp = (count: number) =>
  scenario(
    standIns.harness,
    Array.from({ length: count }, (_, index) => (index % 9) + 1),
    { itemBudgetMs: 1000 },
  )

const linesOf = (requestId: string) =>
  standIns.output
    .records()
    .filter((line) => line.function_request_id === requestId && line.message !== 'Lambda invocation event')

const isEffect = (key: string) => (call: { operation: string; input: Record<string, any> }) =>
  call.operation === 'UpdateItem' && call.input.ExpressionAttributeValues?.[':key']?.S === key

describe('the lease', () => {
  it('two overlapping runs of one event: the first works through the backlog, the second exits cleanly', async () => {
    // Prepare: two containers; the first is held just after it took the lease.
    const { table, records, keys, clock, instance } = await setUp(10)
    const first = instance()
    const second = instance()
    const held = first.control.hold((call) => call.operation === 'Query')
    const event = events.scheduled('usage-rollup') // EventBridge delivers at least once: the same event twice
    const firstContext = contextWithDeadline(clock, 30_000)
    const leaseEnds = new Date(clock.now() + 30_000).toISOString()

    // Act
    const firstRun = first.handler(event, firstContext)
    await held.reached
    const secondContext = contextWithDeadline(clock, 30_000)
    const metricsBefore = standIns.output.records().length
    const secondOutcome = await second.handler(event, secondContext)
    const secondMetrics = standIns.output
      .records()
      .slice(metricsBefore)
      .filter((line) => 'ItemsProcessed' in line)
    held.release()
    const firstOutcome = await firstRun

    // Assess: the second run touched nothing but the lease, and said so in one line and its metrics.
    expect(secondOutcome).toEqual({
      reason: 'lease-held',
      processed: 0,
      checkpoint: undefined,
      leaseHeldUntil: leaseEnds,
    })
    expect(second.control.calls.map((call) => call.operation)).toEqual(['UpdateItem', 'GetItem'])
    expect(linesOf(secondContext.awsRequestId)).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'usage roll-up skipped: another run holds the lease',
        reason: 'lease-held',
        processed: 0,
        leaseHeldUntil: leaseEnds,
      }),
    ])
    expect(secondMetrics).toEqual([expect.objectContaining({ ItemsProcessed: 0, BacklogDrained: 0, Errors: 0 })])
    // The first did all the work, once.
    expect(firstOutcome).toMatchObject({
      reason: 'drained',
      processed: 10,
      checkpoint: keys.at(-1),
      leaseReleased: true,
    })
    expect(first.control.applied()).toEqual(keys)
    expect(await totals(standIns.harness.db, table)).toEqual(expectedTotals(records))
    expect(await jobState(standIns.harness.db, table)).toMatchObject({ checkpoint: keys.at(-1), processed: 10 })
  })

  it('a run that crashed between an effect and its checkpoint: the lease holds until its deadline, then the next run continues without applying that record again', async () => {
    // Prepare: the crashing run's seventh call is the third record's effect; it reaches
    // DynamoDB, then the process dies before the checkpoint moves.
    const { table, records, keys, clock, instance } = await setUp(6)
    const crashing = instance()
    crashing.control.crashAfter(6)
    const crashedAt = clock.now()

    // Act
    const crashed = await crashing.handler(events.scheduled(), contextWithDeadline(clock, 20_000)).catch((e) => e)
    const afterCrash = await jobState(standIns.harness.db, table)
    clock.advance(10_000) // still inside the crashed run's deadline
    const early = await instance().handler(events.scheduled(), contextWithDeadline(clock, 20_000))
    clock.advance(fiveMinutes)
    const next = instance()
    const nextOutcome = await next.handler(events.scheduled(), contextWithDeadline(clock, 20_000))

    // Assess
    expect(crashed).toBeInstanceOf(CrashedError)
    expect(afterCrash).toMatchObject({ checkpoint: keys[1], processed: 2, leaseExpiresAt: crashedAt + 20_000 })
    expect(crashing.control.applied()).toEqual(keys.slice(0, 3)) // the third record's effect is in
    expect(early).toMatchObject({ reason: 'lease-held', processed: 0 })
    // The next run read the third record again, found its effect applied, and only moved the checkpoint.
    expect(next.control.calls.filter(isEffect(keys[2] as string))).toEqual([expect.objectContaining({ ok: false })])
    expect(next.control.applied()).toEqual(keys.slice(3))
    expect(nextOutcome).toMatchObject({ reason: 'drained', processed: 4, checkpoint: keys.at(-1), totalProcessed: 6 })
    expect(await totals(standIns.harness.db, table)).toEqual(expectedTotals(records))
  })

  it('a run that outlived its lease stops at its next checkpoint; the run holding the lease goes on, nothing applied twice', async () => {
    // Prepare: the slow run has applied the first record and is held before its checkpoint,
    // past its own deadline; the next run takes the expired lease and is held at the same point.
    const { table, records, keys, clock, instance } = await setUp(5)
    const isCheckpointAt = (key: string) => (call: { operation: string; input: Record<string, any> }) =>
      call.operation === 'UpdateItem' && call.input.ExpressionAttributeValues?.[':to']?.S === key
    const slow = instance()
    const slowHeld = slow.control.hold(isCheckpointAt(keys[0] as string))
    const slowContext = contextWithDeadline(clock, 20_000)
    const slowRun = slow.handler(events.scheduled(), slowContext)
    await slowHeld.reached
    clock.advance(fiveMinutes)
    const next = instance()
    const nextHeld = next.control.hold(isCheckpointAt(keys[0] as string))
    const nextRun = next.handler(events.scheduled(), contextWithDeadline(clock, 20_000))
    await nextHeld.reached

    // Act: the slow run wakes up first and tries to move the checkpoint; then the next run.
    slowHeld.release()
    const slowOutcome = await slowRun
    nextHeld.release()
    const nextOutcome = await nextRun

    // Assess: the checkpoint write checks the lease, so the stale run stopped and the holder went on.
    expect(slowOutcome).toEqual({
      reason: 'lease-lost',
      processed: 0,
      checkpoint: undefined,
      nextKey: keys[0],
      totalProcessed: 0,
    })
    expect(linesOf(slowContext.awsRequestId)).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'usage roll-up stopped: its lease was taken over, the run holding it continues',
        reason: 'lease-lost',
      }),
    ])
    expect(nextOutcome).toMatchObject({ reason: 'drained', processed: 5, checkpoint: keys.at(-1) })
    expect(next.control.calls.filter(isEffect(keys[0] as string))).toEqual([expect.objectContaining({ ok: false })])
    expect([...slow.control.applied(), ...next.control.applied()]).toEqual(keys)
    expect(await totals(standIns.harness.db, table)).toEqual(expectedTotals(records))
    expect(await jobState(standIns.harness.db, table)).toMatchObject({ checkpoint: keys.at(-1), processed: 5 })
  })
})
