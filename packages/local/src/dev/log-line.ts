// One terminal line per invocation: what came in, what went out, how long, cold or warm, and
// where the time went, middleware by middleware (core's lifecycle hooks, summed over phases).
import type { InvocationRecord } from './history.js'
import type { MiddlewareTiming } from './runner.js'

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`

/** Time per middleware, in the order each first ran; the handler is named `handler`. */
export function timePerMiddleware(timings: readonly MiddlewareTiming[]): [string, number][] {
  const totals = new Map<string, number>()
  for (const timing of timings) {
    const name = timing.phase === 'handler' ? 'handler' : timing.middleware || timing.phase
    totals.set(name, (totals.get(name) ?? 0) + Math.max(0, timing.endMs - timing.startMs))
  }
  return [...totals]
}

export function formatLine(record: Pick<InvocationRecord, 'label' | 'summary' | 'durationMs' | 'cold' | 'timings'>) {
  const parts = timePerMiddleware(record.timings).map(([name, total]) => `${name} ${ms(total)}`)
  const split = parts.length > 0 ? `  ${parts.join(' · ')}` : ''
  return `${record.label} → ${record.summary}  ${ms(record.durationMs)} ${record.cold ? 'cold' : 'warm'}${split}`
}
