// The job's promise, as a property: whatever the backlog, however much time each run gets, however
// long each DynamoDB call takes and wherever a run crashes (between an effect and its checkpoint
// included), the runs together apply every record exactly once, in key order, and none is skipped.
import { events } from '@lamina/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { guardMarginMs } from '../src/rollup-handler.js'
import type { RunOutcome } from '../src/run.js'
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

// Each call costs 100 ms to 1 s of simulated time; one record is at most three calls (its two
// writes, then handing the lease back), which is what the item budget must cover.
const maxCallMs = 1000
const itemBudgetMs = 3 * maxCallMs

const run = fc.record({
  /** The time the run has, from below what one record needs to 40 s. */
  budgetMs: fc.integer({ min: 1000, max: 40_000 }),
  /** What each of its calls costs, in turn. */
  costs: fc.array(fc.integer({ min: 100, max: maxCallMs }), { minLength: 1, maxLength: 6 }),
  /** After how many calls the process dies, if it does. */
  crashAfter: fc.option(fc.nat({ max: 30 }), { nil: undefined }),
})

describe('across runs with random deadlines and crashes', () => {
  it('every record is applied exactly once, in key order, none skipped; each run stops before its deadline', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 40 }),
        fc.array(run, { minLength: 1, maxLength: 8 }),
        async (units, runs) => {
          // Prepare: a backlog in a fresh table, and the function with a clock the calls advance.
          const { harness } = standIns
          const { table, records, keys, clock, instance } = await scenario(harness, units, { itemBudgetMs })
          const { control, handler } = instance()

          // Act: the planned runs, five minutes apart, then runs with time to spare until one drains.
          const invoke = async (budgetMs: number) => {
            const context = contextWithDeadline(clock, budgetMs)
            const outcome = await handler(events.scheduled(), context).catch((error: unknown) => error)
            clock.advance(fiveMinutes)
            return { outcome, remainingMs: context.getRemainingTimeInMillis() }
          }
          for (const planned of runs) {
            control.costs = planned.costs
            control.crashAfter(planned.crashAfter)
            const { outcome } = await invoke(planned.budgetMs)
            control.recover()
            // Assess (per run): a run that did not crash answered, and stopped with time left.
            if (!(outcome instanceof CrashedError)) {
              expect(outcome).not.toBeInstanceOf(Error)
              expect(['drained', 'deadline']).toContain((outcome as RunOutcome).reason)
            }
          }
          control.costs = [0]
          let last: unknown
          for (let attempt = 0; attempt < 2 && (last as RunOutcome | undefined)?.reason !== 'drained'; attempt++) {
            last = (await invoke(60_000)).outcome
          }

          // Assess: the effects that succeeded, in the order they did, are the backlog in key order.
          expect((last as RunOutcome).reason).toBe('drained')
          expect(control.applied()).toEqual(keys)
          expect(await totals(harness.db, table)).toEqual(expectedTotals(records))
          const state = await jobState(harness.db, table)
          expect(state?.checkpoint).toBe(keys.at(-1))
          expect(state?.processed ?? 0).toBe(records.length)
          expect(state?.leaseOwner).toBeUndefined()
        },
      ),
      { numRuns: 25 },
    )
    // Every run that answered wrote its stop line with the time it had left: never inside the
    // guard's margin, so the guard never had to stop a run.
    const stops = standIns.output.records().filter((line) => String(line.message).startsWith('usage roll-up stopped'))
    expect(stops.length).toBeGreaterThan(0)
    for (const line of stops) expect(line.remainingMs).toBeGreaterThanOrEqual(guardMarginMs)
  }, 300_000)
})
