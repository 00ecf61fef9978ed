// What a bench file hands to the suite: its tables, the ratios worth guarding, and a chart.
// A bench still runs on its own (`npx tsx bench/<name>.bench.ts`) and prints its tables; under
// `npm run bench` / `npm run bench:check` (BENCH_OUT set) it also appends one JSON line per
// scenario to that file, which bench/run.ts turns into a results file, BENCHMARKS.md and charts.
import { appendFileSync } from 'node:fs'
import { printTable, type Row } from './table.js'

/** A ratio: lower is better (Lamina's figure over its twin's or over a floor). */
export interface Ratio {
  /** Stable key: the baseline and the results file name a ratio by it. */
  key: string
  label: string
  value: number
  /** The budget for it, when it has one. */
  budget?: number
  /** false: reported, not guarded by bench:check (too noisy in a short run, or informative only). */
  guard?: boolean
}

export interface Bar {
  label: string
  value: number
}

export interface Chart {
  title: string
  /** What the bars measure, for the axis: "× Middy", "× bare node", ... */
  unit: string
  bars: Bar[]
  /** Draws a log axis: use when the bars span more than an order of magnitude. */
  log?: boolean
  /** A vertical line at this value (1 for "same as the twin"). */
  reference?: number
}

export interface Scenario {
  /** Stable id, one per scenario: `core-engine`, `http-stack`, ... */
  id: string
  title: string
  tables: { title: string; rows: Row[] }[]
  ratios: Ratio[]
  chart?: Chart
  notes?: string[]
}

/** `npm run bench:check` runs every bench in its short form: fewer rounds, fewer spawns. */
export const quick = process.env.BENCH_QUICK === '1'

/** Prints the scenario as tables and, under the suite, records it for bench/run.ts. */
export function report(scenario: Scenario): void {
  for (const table of scenario.tables) printTable(table.title, table.rows)
  if (scenario.ratios.length > 0) {
    printTable(
      `${scenario.title}: ratios (lower is better)`,
      scenario.ratios.map((ratio) => ({
        ratio: ratio.label,
        value: formatRatio(ratio.value),
        budget: ratio.budget === undefined ? '' : formatRatio(ratio.budget),
        verdict: ratio.budget === undefined ? '' : ratio.value <= ratio.budget ? 'within' : 'OVER',
      })),
    )
  }
  for (const note of scenario.notes ?? []) console.log(`\n${note}`)
  const out = process.env.BENCH_OUT
  if (out) appendFileSync(out, `${JSON.stringify(scenario)}\n`)
}

export function formatRatio(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  return value >= 10 ? value.toFixed(1) : value >= 0.1 ? value.toFixed(3) : value.toPrecision(2)
}

/** The median of a list (the middle one; of an even count, the lower middle). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[(sorted.length - 1) >> 1] as number
}

/** This process's CPU time in ms (user + system): other tenants of a shared machine do not count. */
export function cpuNow(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}
