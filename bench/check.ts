// `npm run bench:check`: the guard CI runs after the tests. Reruns, in their short form, the
// benches whose ratios bench/baseline.json holds (for this Node major), and fails when a ratio
// is more than 25% worse than its baseline. Only ratios are compared, never absolute times.
// Built for a noisy shared machine: every bench measures in interleaved rounds and reports
// medians, and a bench with a ratio over the line is run once more, each ratio keeping the
// better of its two figures, before anything fails.
//
// npx tsx bench/check.ts            check against the baseline
// npx tsx bench/check.ts --update   write this Node major's baseline from the newest full run
//                                   (`npm run bench`) of the same major in bench/results/
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { latestRuns } from './support/render.js'
import { formatRatio } from './support/report.js'
import { benchDir, runFile } from './support/suite.js'

interface Baseline {
  /** How much worse than its baseline a ratio may get: 0.25 is 25%. */
  tolerance: number
  /** Node major → bench file → ratio key → baseline ratio. */
  node: Record<string, Record<string, Record<string, number>>>
}

const baselineFile = join(benchDir, 'baseline.json')
const nodeMajor = process.versions.node.split('.')[0] as string
const readBaseline = (): Baseline => JSON.parse(readFileSync(baselineFile, 'utf8')) as Baseline

if (process.argv.includes('--update')) {
  const run = latestRuns().find((each) => each.node.split('.')[0] === `v${nodeMajor}`)
  if (!run)
    throw new Error(`bench/check.ts: no full run on Node ${nodeMajor} in bench/results/; run \`npm run bench\` first.`)
  let baseline: Baseline
  try {
    baseline = readBaseline()
  } catch {
    baseline = { tolerance: 0.25, node: {} }
  }
  const files: Record<string, Record<string, number>> = {}
  for (const file of run.files) {
    const ratios = file.scenarios.flatMap((scenario) => scenario.ratios).filter((ratio) => ratio.guard !== false)
    if (ratios.length > 0)
      files[file.file] = Object.fromEntries(ratios.map((ratio) => [ratio.key, Number(ratio.value.toPrecision(3))]))
  }
  baseline.node[nodeMajor] = files
  writeFileSync(baselineFile, `${JSON.stringify(baseline, null, 2)}\n`)
  console.log(`bench/check.ts: baseline for Node ${nodeMajor} written from the run of ${run.date}.`)
  process.exit(0)
}

const started = performance.now()
const baseline = readBaseline()
const expected = baseline.node[nodeMajor]
if (!expected) {
  console.error(
    `bench/check.ts: bench/baseline.json has no figures for Node ${nodeMajor} (it has ${Object.keys(baseline.node).join(', ')}); run the check with one of those, or \`npm run bench\` then \`npx tsx bench/check.ts --update\` on this one.`,
  )
  process.exit(1)
}

interface Verdict {
  file: string
  key: string
  baseline: number
  value: number | undefined
}

/** Runs one bench (short form) and returns each guarded ratio's figure (undefined: it reported none). */
async function measure(file: string): Promise<Map<string, number>> {
  const result = await runFile(file, { quick: true, quiet: true, timeoutMs: 120_000 })
  if (!result.ok) console.error(`  ${file} failed: ${result.failure}`)
  const figures = new Map<string, number>()
  for (const ratio of result.scenarios.flatMap((scenario) => scenario.ratios)) figures.set(ratio.key, ratio.value)
  console.log(`  ${file}: ${result.seconds.toFixed(1)} s`)
  return figures
}

const limit = (base: number) => base * (1 + baseline.tolerance)
const verdicts: Verdict[] = []
for (const [file, ratios] of Object.entries(expected)) {
  let figures = await measure(file)
  const over = () =>
    Object.entries(ratios).filter(([key, base]) => {
      const value = figures.get(key)
      return value === undefined || value > limit(base)
    })
  if (over().length > 0) {
    // One disturbed run on a shared machine is not a regression: run it again, keep the better figure.
    console.log(
      `  ${file}: ${over()
        .map(([key]) => key)
        .join(', ')} over the line; running it once more`,
    )
    const again = await measure(file)
    figures = new Map(
      Object.keys(ratios).map((key) => [key, Math.min(figures.get(key) ?? Infinity, again.get(key) ?? Infinity)]),
    )
  }
  for (const [key, base] of Object.entries(ratios)) {
    const value = figures.get(key)
    verdicts.push({ file, key, baseline: base, value: value === Infinity ? undefined : value })
  }
}

const failures = verdicts.filter((verdict) => verdict.value === undefined || verdict.value > limit(verdict.baseline))
console.log(
  `\nbench:check on Node ${process.version}: ratio (baseline → now, fails above baseline × ${1 + baseline.tolerance})`,
)
for (const verdict of verdicts) {
  const now = verdict.value === undefined ? 'missing' : formatRatio(verdict.value)
  const mark = failures.includes(verdict) ? 'FAIL' : 'ok'
  console.log(`  ${mark.padEnd(4)} ${verdict.file} ${verdict.key}: ${formatRatio(verdict.baseline)} → ${now}`)
}
console.log(`\nbench:check: ${verdicts.length} ratios in ${((performance.now() - started) / 1000).toFixed(0)} s`)
if (failures.length > 0) {
  console.error(
    `bench:check: ${failures.length} ratio(s) more than ${baseline.tolerance * 100}% worse than bench/baseline.json. Profile the change (see BENCHMARKS.md), or, if the slowdown is deliberate, rerun \`npm run bench\` and \`npx tsx bench/check.ts --update\` and say why in the commit.`,
  )
  process.exit(1)
}
