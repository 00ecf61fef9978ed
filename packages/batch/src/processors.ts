import { BatchProcessor, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch'
import { type BatchSource, powertoolsEventType } from './sources.js'

type Processor = BatchProcessor | SqsFifoPartialProcessorAsync
type Kind = BatchSource | 'sqs-fifo'

// Idle processors, by kind. Outside Managed Instances Powertools keeps a batch's state on the
// processor itself, so one processor must never serve two invocations at once: each invocation
// takes one from here (or makes one) and gives it back when done. Reusing them saves what making
// one costs (environment reads, a store) on every batch; nothing of an invocation outlives it.
const idle = new Map<Kind, Processor[]>()

export function takeProcessor(source: BatchSource, fifo: boolean): { processor: Processor; giveBack: () => void } {
  const kind: Kind = fifo ? 'sqs-fifo' : source
  const pool = idle.get(kind) ?? []
  idle.set(kind, pool)
  const processor =
    pool.pop() ?? (fifo ? new SqsFifoPartialProcessorAsync() : new BatchProcessor(powertoolsEventType[source]))
  return { processor, giveBack: () => void pool.push(processor) }
}
