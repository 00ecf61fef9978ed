import { SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch'

// Idle FIFO processors. Outside Managed Instances Powertools keeps a batch's state on the
// processor itself, so one processor must never serve two invocations at once: each invocation
// takes one from here (or makes one) and gives it back when done. Reusing them saves what making
// one costs (environment reads, a store) on every batch; nothing of an invocation outlives it.
const idle: SqsFifoPartialProcessorAsync[] = []

export function takeFifoProcessor(): { processor: SqsFifoPartialProcessorAsync; giveBack: () => void } {
  const processor = idle.pop() ?? new SqsFifoPartialProcessorAsync()
  return { processor, giveBack: () => void idle.push(processor) }
}
