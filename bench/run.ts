// `npm run bench`: every bench in bench/ (each `*.bench.ts`, whoever wrote it, and size.mjs),
// one after the other, each in its own Node process. Writes the run to
// bench/results/<date>-node<major>.json and regenerates BENCHMARKS.md and bench/charts/*.svg
// from the newest run of each Node major (budgets are judged on Node 24: run it with that node
// on PATH, and with Node 20 for the figures beside it).
// Run: npm run bench (builds first), or npx tsx bench/run.ts [name-filter] [--quick] [--merge]
// --merge: a filtered run replaces those benches' figures in the newest full run of this Node
// major (written as a new results file), so one scenario can be re-measured on a quieter machine.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { latestRuns, nodeMajor, render, resultsDir } from './support/render.js'
import { benchFiles, type FileResult, machine, type RunResults, runFile } from './support/suite.js'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const merge = args.includes('--merge')
const filter = args.find((arg) => !arg.startsWith('--'))
const files = benchFiles(filter)
if (files.length === 0) {
  console.error(`bench/run.ts: no benchmark matches "${filter}" in bench/`)
  process.exit(1)
}

const results: FileResult[] = []
for (const file of files) {
  console.log(`\n=== ${file} ===`)
  results.push(await runFile(file, { quick }))
}

let run: RunResults = { date: new Date().toISOString(), ...machine(), quick, files: results }
const failed = results.filter((result) => !result.ok)
if (merge && filter !== undefined && !quick) {
  const base = latestRuns().find((each) => nodeMajor(each.node) === nodeMajor(process.version))
  if (!base)
    throw new Error(`bench/run.ts --merge: no full run on Node ${process.version} in bench/results/ to merge into.`)
  const fresh = new Map(results.map((result) => [result.file, result]))
  const files = base.files.map((file) => fresh.get(file.file) ?? file)
  for (const result of results) if (!files.includes(result)) files.push(result)
  run = { ...run, files }
}
// A filtered (unmerged) or quick run is a try-out: it neither replaces the published figures nor rewrites BENCHMARKS.md.
if ((filter === undefined || merge) && !quick) {
  mkdirSync(resultsDir, { recursive: true })
  const name = `${run.date.slice(0, 19).replace(/[:T]/g, '-')}-node${process.versions.node.split('.')[0]}.json`
  writeFileSync(join(resultsDir, name), `${JSON.stringify(run, null, 2)}\n`)
  render(latestRuns())
  // The generated files as the repo's formatter writes them, so `biome ci` (lint in CI) passes.
  spawnSync('npx', ['biome', 'format', '--write', join(resultsDir, name), 'BENCHMARKS.md', 'bench/charts'], {
    cwd: join(resultsDir, '..', '..'),
    stdio: 'ignore',
  })
  console.log(`\nbench/run.ts: results in bench/results/${name}; BENCHMARKS.md regenerated.`)
}
if (failed.length > 0) {
  console.error(`\nbench/run.ts: ${failed.length} of ${files.length} benchmarks failed:`)
  for (const result of failed) console.error(`- ${result.file}: ${result.failure}`)
  process.exit(1)
}
console.log(`\nbench/run.ts: ${files.length} benchmarks ran.`)
