// One run of the job: take the lease, apply records in key order while there is time for one
// more, and commit the checkpoint after each. Time comes from the invocation's own deadline
// (`remainingMs`), so the run stops cleanly before the timeout guard or Lambda would stop it.
import type { UsageRecord, UsageStore } from './store.js'

export type StopReason = 'drained' | 'deadline' | 'lease-held' | 'lease-lost'

export interface RunOutcome {
  /** Why the run stopped: the backlog is empty, the deadline is near, or another run has the lease. */
  reason: StopReason
  /** Records this run processed. */
  processed: number
  /** The last record committed: the next run starts after it (unknown when the lease was not taken). */
  checkpoint: string | undefined
  /** The first record left for the next run, when one was already read. */
  nextKey?: string
  /** Records processed by every run so far, this one included (when the lease was taken). */
  totalProcessed?: number
  /** When another run's lease ends (ISO 8601), for `lease-held`. */
  leaseHeldUntil?: string
  /** `false` when the lease could not be handed back (it then expires at this run's deadline). */
  leaseReleased?: boolean
}

export interface RunOptions {
  store: UsageStore
  /** This run's lease token: unique per run (a retried invocation keeps its request id). */
  owner: string
  now: () => number
  /** Time left in this invocation: `context.getRemainingTimeInMillis()`. */
  remainingMs: () => number
  /** Take another record only while more than this is left: one record's work plus the guard's margin. */
  reserveMs: number
  /** Records read per query. */
  pageSize?: number
  /** Runs once this run holds the lease, before the first read (the demo backlog is written here). */
  prepare?: () => Promise<unknown>
}

export async function runBacklog(options: RunOptions): Promise<RunOutcome> {
  const { store, owner, now, remainingMs, reserveMs, pageSize = 25, prepare } = options
  if (remainingMs() <= reserveMs) return { reason: 'deadline', processed: 0, checkpoint: undefined }

  // The lease ends when this invocation must have ended: a run that crashes holds it no longer.
  const started = now()
  const lease = await store.acquireLease(owner, started, started + remainingMs())
  if (!lease.acquired) {
    return {
      reason: 'lease-held',
      processed: 0,
      checkpoint: undefined,
      ...(lease.expiresAt === undefined ? {} : { leaseHeldUntil: new Date(lease.expiresAt).toISOString() }),
    }
  }

  let { lastKey } = lease.checkpoint
  let processed = 0
  const stop = (reason: StopReason, next?: UsageRecord): RunOutcome => ({
    reason,
    processed,
    checkpoint: lastKey,
    ...(next ? { nextKey: next.key } : {}),
    totalProcessed: lease.checkpoint.processed + processed,
  })

  const work = async (): Promise<RunOutcome> => {
    await prepare?.()
    for (;;) {
      if (remainingMs() <= reserveMs) return stop('deadline')
      const page = await store.pending(lastKey, pageSize)
      if (page.length === 0) return stop('drained')
      for (const record of page) {
        if (remainingMs() <= reserveMs) return stop('deadline', record)
        // Effect first, checkpoint second. A crash between the two leaves the checkpoint behind
        // an applied record: the next run reads it again and `apply` finds it applied already.
        await store.apply(record)
        if (!(await store.advance(owner, lastKey, record.key, now()))) return stop('lease-lost', record)
        lastKey = record.key
        processed++
      }
    }
  }

  let outcome: RunOutcome
  try {
    outcome = await work()
  } catch (error) {
    await store.releaseLease(owner).catch(() => undefined) // the run's own error is the one to report
    throw error
  }
  if (outcome.reason === 'lease-lost') return outcome
  const leaseReleased = await store.releaseLease(owner).then(
    () => true,
    () => false,
  )
  return { ...outcome, leaseReleased }
}
