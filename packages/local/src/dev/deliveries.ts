// What the stand-ins deliver to functions: an S3 notification sent to a queue becomes the SQS batch
// of the functions consuming that queue (the path POST /_lamina/sqs takes), and an EventBridge
// event becomes an invocation of each function whose rule matched. One terminal line each.
import { type NewRecord, outcomeFields } from './history.js'
import type { RunningFunction } from './runner.js'
import { invokeSqs } from './sqs.js'
import type { EventBridgeEvent } from './stand-ins/eventbridge.js'
import type { EventRuleSpec, FunctionSpec } from './template.js'

export interface QueueDelivery {
  function: string
  queue: string
  messageId: string
  /** The message came back failed: in batchItemFailures, or the function threw or timed out. */
  failed: boolean
}

export async function deliverToQueue(
  functions: FunctionSpec[],
  running: (fn: FunctionSpec) => RunningFunction,
  record: (entry: NewRecord) => void,
  print: (line: string) => void,
  message: { queue: string; body: string; label: string },
): Promise<QueueDelivery[]> {
  const consumers = functions.filter((fn) => fn.queues.includes(message.queue))
  if (consumers.length === 0) print(`${message.label}: no function has an SQS event on ${message.queue}`)
  return Promise.all(
    consumers.map(async (fn) => {
      const { answer, record: entry } = await invokeSqs(running(fn), fn, [message.body], message.queue)
      record({ ...entry, label: `${message.label} → ${fn.id}` })
      const messageId = answer.messages[0]?.messageId as string
      return { function: fn.id, queue: message.queue, messageId, failed: answer.failed.includes(messageId) }
    }),
  )
}

export async function invokeEvent(
  fn: RunningFunction,
  spec: FunctionSpec,
  rule: EventRuleSpec,
  event: EventBridgeEvent,
): Promise<NewRecord> {
  const at = new Date().toISOString()
  const outcome = await fn.invoke(event)
  const failed = outcome.timedOut
    ? 'timed out'
    : outcome.error
      ? `${outcome.error.errorType}: ${outcome.error.errorMessage}`
      : undefined
  return {
    ...outcomeFields(outcome),
    at,
    source: 'eventbridge',
    label: `EventBridge ${event.source} ${event['detail-type']} → rule ${rule.name} → ${spec.id}`,
    functionName: spec.functionName,
    summary: failed ?? 'done',
    ok: failed === undefined,
    event,
  }
}
