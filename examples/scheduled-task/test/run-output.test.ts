// What an operator sees for each run, parsed from what Powertools really writes to stdout: one
// line saying where the run stopped and why, and one EMF document with the items it processed and
// whether the backlog is drained.
import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { events } from '@lamina/testing'
import { describe, expect, it } from 'vitest'
import { demoBacklogSize, seedDemoBacklog } from '../src/seed.js'
import { contextWithDeadline, expectedTotals, fiveMinutes, scenario, totals, useStandIns } from './harness.js'

const standIns = useStandIns()

/** Runs once and returns the outcome with the lines Powertools wrote meanwhile. */
async function observe(run: () => Promise<unknown>) {
  const before = standIns.output.records().length
  const outcome = await run()
  const lines = standIns.output.records().slice(before)
  return {
    outcome,
    stops: lines.filter((line) => /^usage roll-up (stopped|skipped)/.test(String(line.message))),
    metrics: lines.filter((line) => 'ItemsProcessed' in line),
    lines,
  }
}

describe('each run reports where it stopped', () => {
  it('deadline, then drained: one stop line and one metric document per run', async () => {
    // Prepare: every call takes 1 s, a record may take 2 s: with 10 s, the run has time for three.
    const { keys, clock, instance } = await scenario(standIns.harness, [5, 1, 4, 2, 8, 3, 7, 6, 9, 1], {
      itemBudgetMs: 2000,
    })
    const { control, handler } = instance()
    control.costs = [1000]

    // Act
    const first = await observe(() => handler(events.scheduled(), contextWithDeadline(clock, 10_000)))
    clock.advance(fiveMinutes)
    control.costs = [0]
    const second = await observe(() => handler(events.scheduled(), contextWithDeadline(clock, 10_000)))
    clock.advance(fiveMinutes)
    const third = await observe(() => handler(events.scheduled(), contextWithDeadline(clock, 10_000)))

    // Assess: the first stopped at its deadline, after three records, with 1 s still left.
    expect(first.stops).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'usage roll-up stopped: deadline near, the next run continues after the checkpoint',
        service: 'usage-rollup',
        reason: 'deadline',
        processed: 3,
        checkpoint: keys[2],
        nextKey: keys[3],
        totalProcessed: 3,
        leaseReleased: true,
        remainingMs: 1000,
      }),
    ])
    expect(first.metrics).toEqual([
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            expect.objectContaining({
              Namespace: 'lamina-examples',
              Dimensions: [['service', 'function_name']],
              Metrics: expect.arrayContaining([
                { Name: 'ItemsProcessed', Unit: 'Count' },
                { Name: 'BacklogDrained', Unit: 'Count' },
              ]),
            }),
          ],
        }),
        service: 'usage-rollup',
        ItemsProcessed: 3,
        BacklogDrained: 0,
        Errors: 0,
        Timeouts: 0,
      }),
    ])
    // The second continued after the checkpoint and drained the backlog; the third found nothing.
    expect(second.stops).toEqual([
      expect.objectContaining({
        message: 'usage roll-up stopped: backlog drained',
        reason: 'drained',
        processed: 7,
        checkpoint: keys[9],
        totalProcessed: 10,
      }),
    ])
    expect(second.metrics).toEqual([expect.objectContaining({ ItemsProcessed: 7, BacklogDrained: 1 })])
    expect(third.stops).toEqual([expect.objectContaining({ reason: 'drained', processed: 0, checkpoint: keys[9] })])
    expect(third.metrics).toEqual([expect.objectContaining({ ItemsProcessed: 0, BacklogDrained: 1 })])
  })

  it('a run the timeout guard stops (a DynamoDB call that hangs) is counted as a timeout; the next run continues from its checkpoint', async () => {
    // Prepare: the third record's effect hangs. The guard's timer is real: 2 s left, 500 ms margin.
    const { table, records, keys, clock, instance } = await scenario(standIns.harness, [1, 2, 3, 4], {
      itemBudgetMs: 0,
    })
    const stuck = instance()
    const hung = stuck.control.hold(
      (call) => call.operation === 'UpdateItem' && call.input.ExpressionAttributeValues?.[':key']?.S === keys[2],
    )

    // Act
    const run = await observe(() =>
      stuck.handler(events.scheduled(), contextWithDeadline(clock, 2000)).catch((error: Error) => error),
    )
    hung.release() // the hung call comes back after its run gave up on it
    clock.advance(fiveMinutes)
    const next = instance()
    const nextOutcome = await next.handler(events.scheduled(), contextWithDeadline(clock, 10_000))

    // Assess: a TimeoutError, logged and counted, no stop line; nothing lost, nothing twice.
    expect((run.outcome as Error).name).toBe('TimeoutError')
    expect(run.stops).toEqual([])
    expect(run.lines).toEqual(
      expect.arrayContaining([expect.objectContaining({ level: 'ERROR', message: 'Invocation failed' })]),
    )
    expect(run.lines.filter((line) => line.Timeouts === 1)).toEqual([expect.objectContaining({ Errors: 1 })])
    expect(nextOutcome).toMatchObject({ reason: 'drained', checkpoint: keys.at(-1), totalProcessed: 4 })
    expect([...stuck.control.applied(), ...next.control.applied()].sort()).toEqual(keys)
    expect(await totals(standIns.harness.db, table)).toEqual(expectedTotals(records))
  })

  it('a run with less time than one record needs takes nothing, not even the lease', async () => {
    const { clock, instance } = await scenario(standIns.harness, [1, 2], { itemBudgetMs: 1000 })
    const { control, handler } = instance()

    const run = await observe(() => handler(events.scheduled(), contextWithDeadline(clock, 1400)))

    expect(run.outcome).toEqual({ reason: 'deadline', processed: 0, checkpoint: undefined })
    expect(control.calls).toEqual([])
    expect(run.metrics).toEqual([expect.objectContaining({ ItemsProcessed: 0, BacklogDrained: 0 })])
  })

  it('refuses an event that is not a schedule: the invocation fails, logged and counted, nothing processed', async () => {
    const { clock, instance } = await scenario(standIns.harness, [1])
    const { control, handler } = instance()

    const run = await observe(() =>
      handler(
        events.eventBridge('Order Placed', { orderId: 'o-1' }) as never,
        contextWithDeadline(clock, 10_000),
      ).catch((error: Error) => error),
    )

    expect((run.outcome as Error).name).toBe('ValidationError')
    expect((run.outcome as Error).message).toMatch(/Scheduled Event/)
    expect(control.calls).toEqual([])
    expect(run.lines).toEqual(
      expect.arrayContaining([expect.objectContaining({ level: 'ERROR', message: 'Invocation failed' })]),
    )
    expect(run.metrics).toEqual([])
    expect(run.lines.filter((line) => line.Errors === 1)).toHaveLength(1)
  })
})

describe('the demo backlog', () => {
  it('is written once per table, on the first run, when seeding is on', async () => {
    // Prepare
    const { table, clock, instance } = await scenario(standIns.harness, [], { seedDemoBacklog: true })
    const { control, handler } = instance()
    control.costs = [1000] // 21 writes of 1 s each: no time left to process anything after them

    // Act: a first run, then seeding again.
    const first = await observe(() => handler(events.scheduled(), contextWithDeadline(clock, 10_000)))
    const again = await seedDemoBacklog(standIns.harness.db, table, clock.now())

    // Assess
    expect(first.lines).toEqual(
      expect.arrayContaining([expect.objectContaining({ message: 'demo backlog written', records: demoBacklogSize })]),
    )
    expect(first.outcome).toEqual({
      reason: 'deadline',
      processed: 0,
      checkpoint: undefined,
      totalProcessed: 0,
      leaseReleased: true,
    })
    expect(again).toBe(0)
    const { Count } = await standIns.harness.db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'usage' },
        Select: 'COUNT',
        ConsistentRead: true,
      }),
    )
    expect(Count).toBe(demoBacklogSize)
  })
})
