// Runs every benchmark in bench/ one after the other, each in its own Node process (so one
// bench's JIT state, heap and timers never colour another's figures), then the size report.
// Run: npm run bench (builds first), or node --import tsx bench/run.ts [name-filter]
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const benchDir = fileURLToPath(new URL('.', import.meta.url))
// From the repo root, as `npx tsx bench/<name>.bench.ts` runs them (same tsconfig, same resolution).
const root = fileURLToPath(new URL('..', import.meta.url))
const filter = process.argv[2]

const benches = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts') || file === 'size.mjs')
  .filter((file) => filter === undefined || file.includes(filter))
  .sort((a, b) => Number(a === 'size.mjs') - Number(b === 'size.mjs') || a.localeCompare(b))

if (benches.length === 0) {
  console.error(`bench/run.ts: no benchmark matches "${filter}" in ${benchDir}`)
  process.exit(1)
}

const failed: string[] = []
for (const file of benches) {
  console.log(`\n=== ${file} ===`)
  const path = `bench/${file}`
  const args = file.endsWith('.ts') ? ['--import', 'tsx', path] : [path]
  const { status, signal } = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
  if (status !== 0) failed.push(`${file} (${signal ?? `exit ${status}`})`)
}

if (failed.length > 0) {
  console.error(`\nbench/run.ts: ${failed.length} of ${benches.length} benchmarks failed: ${failed.join(', ')}`)
  process.exit(1)
}
console.log(`\nbench/run.ts: ${benches.length} benchmarks ran.`)
