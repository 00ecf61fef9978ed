// Fine-grained interleaving for a noisy shared machine: every round times one short batch of
// each variant back to back (in a rotating order), so a burst of load from another tenant lands
// on all variants alike instead of on whichever one tinybench happened to be running. Reports
// each variant's median over the rounds, per invocation, in CPU time.
import { cpuNow, median } from './report.js'

export interface InterleaveOptions {
  /** Invocations per timed batch: enough that the clock's resolution (1 µs) is noise-free. */
  batch: number
  rounds: number
  /** Untimed rounds first, so every variant runs optimised code. */
  warmupRounds: number
}

export type Variant = [name: string, run: () => Promise<unknown> | unknown]

export interface Interleaved {
  /** ns per invocation, median over the rounds, for each variant. */
  medians: Map<string, number>
  /**
   * `a` ÷ `b`, paired: the median over the rounds of each round's ratio. Both ran back to back
   * in the same round, so a burst of load from another tenant moves both and mostly cancels
   * out, where a ratio of two medians keeps it.
   */
  pairedRatio(a: string, b: string): number
}

/** Runs the variants in interleaved rounds; see `Interleaved` for what it reports. */
export async function interleaved(variants: Variant[], options: InterleaveOptions): Promise<Interleaved> {
  const samples = new Map<string, number[]>(variants.map(([name]) => [name, []]))
  for (let round = -options.warmupRounds; round < options.rounds; round++) {
    for (let index = 0; index < variants.length; index++) {
      const [name, run] = variants[(index + Math.max(round, 0)) % variants.length] as Variant
      const started = cpuNow()
      for (let i = 0; i < options.batch; i++) await run()
      const ms = cpuNow() - started
      if (round >= 0) samples.get(name)?.push((ms * 1e6) / options.batch)
    }
  }
  const of = (name: string) => {
    const values = samples.get(name)
    if (values === undefined) throw new Error(`bench: no variant named ${name}`)
    return values
  }
  return {
    medians: new Map([...samples].map(([name, values]) => [name, median(values)])),
    pairedRatio: (a, b) => {
      const divisors = of(b)
      return median(of(a).map((value, round) => value / (divisors[round] as number)))
    },
  }
}
