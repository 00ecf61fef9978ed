// POST /_lamina/sqs/<function> with a JSON array of message bodies: the SQS batch event Lambda
// would deliver (the testing kit's records), and which messages the function reported failed.
import { events } from '@lamina/testing'
import { type NewRecord, outcomeFields } from './history.js'
import type { RunningFunction } from './runner.js'
import type { FunctionSpec } from './template.js'

export class BadSqsBody extends Error {}

export function parseMessages(text: string): unknown[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new BadSqsBody('The body is not JSON: send a JSON array of message bodies, e.g. ["one", {"id": 2}].')
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new BadSqsBody('Send a non-empty JSON array of message bodies (strings or objects), e.g. ["one", {"id": 2}].')
  }
  if (parsed.length > 10_000) throw new BadSqsBody('An SQS batch holds at most 10,000 messages.')
  return parsed
}

export interface SqsAnswer {
  requestId: string
  messages: { messageId: string; body: string }[]
  /** The messages the function reported in batchItemFailures; all of them when it threw. */
  failed: string[]
  response?: unknown
  error?: { errorType: string; errorMessage: string }
}

const failuresOf = (response: unknown): string[] => {
  const failures = (response as { batchItemFailures?: unknown } | null)?.batchItemFailures
  return Array.isArray(failures)
    ? failures.map((failure) => String((failure as { itemIdentifier?: unknown })?.itemIdentifier))
    : []
}

export async function invokeSqs(fn: RunningFunction, spec: FunctionSpec, bodies: unknown[], fromQueue?: string) {
  const at = new Date().toISOString()
  const queue = fromQueue ?? spec.queues[0] ?? `${spec.functionName}-queue`
  const event = events.sqs(bodies, { queue, fifo: queue.endsWith('.fifo') })
  const outcome = await fn.invoke(event)
  const messages = event.Records.map(({ messageId, body }) => ({ messageId, body }))
  const failedBatch = outcome.error !== undefined || outcome.timedOut
  const failed = failedBatch ? messages.map((message) => message.messageId) : failuresOf(outcome.response)
  const summary = outcome.timedOut
    ? 'timed out: the whole batch returns to the queue'
    : outcome.error
      ? `${outcome.error.errorType}: the whole batch returns to the queue`
      : `${failed.length} of ${messages.length} failed`
  const answer: SqsAnswer = {
    requestId: outcome.requestId,
    messages,
    failed,
    ...(outcome.response === undefined ? {} : { response: outcome.response }),
    ...(outcome.error
      ? { error: { errorType: outcome.error.errorType, errorMessage: outcome.error.errorMessage } }
      : {}),
  }
  const record: NewRecord = {
    ...outcomeFields(outcome),
    at,
    source: 'sqs',
    label: `SQS ${queue}`,
    functionName: spec.functionName,
    summary,
    ok: failed.length === 0,
    event,
  }
  return { answer, record }
}
