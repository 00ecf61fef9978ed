// The last invocations, for the inspector: kept in memory, pushed to every open page as they end.
import type { InvocationOutcome, MiddlewareTiming } from './runner.js'

export interface InvocationRecord {
  id: number
  requestId: string
  /** ISO time the invocation started. */
  at: string
  source: 'http' | 'sqs' | 'schedule' | 'eventbridge'
  /** `POST /orders`, `SQS orders-queue`, `schedule nightly`. */
  label: string
  functionName: string
  /** The HTTP status answered, when there is one. */
  status?: number
  /** A short outcome: `201`, `2 of 3 failed`, `error`, `timed out`. */
  summary: string
  ok: boolean
  cold: boolean
  durationMs: number
  event: unknown
  response?: unknown
  error?: unknown
  logs: string[]
  timings: MiddlewareTiming[]
}

export type NewRecord = Omit<InvocationRecord, 'id'>

/** What every record takes from the invocation's outcome as it is. */
export const outcomeFields = (outcome: InvocationOutcome) => ({
  requestId: outcome.requestId,
  cold: outcome.cold,
  durationMs: outcome.durationMs,
  response: outcome.response,
  error: outcome.error,
  logs: outcome.logs,
  timings: outcome.timings,
})

export class InvocationHistory {
  readonly #limit: number
  readonly #records: InvocationRecord[] = []
  readonly #listeners = new Set<(record: InvocationRecord) => void>()
  #next = 1

  constructor(limit = 50) {
    this.#limit = limit
  }

  add(record: NewRecord): InvocationRecord {
    const stored = { id: this.#next++, ...record }
    this.#records.push(stored)
    if (this.#records.length > this.#limit) this.#records.shift()
    for (const listener of this.#listeners) listener(stored)
    return stored
  }

  /** Newest last. */
  list(): readonly InvocationRecord[] {
    return this.#records
  }

  subscribe(listener: (record: InvocationRecord) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
