// What gets deployed is the bundle `lamina build` writes, not these sources: build it from the
// template, run it once in the local runtime (a child process speaking Lambda's Runtime API)
// against dynalite with the sample schedule event, and print its size.
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { type BuiltFunction, buildFunctions, startLocalFunction } from '@lamina/local'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ensurePackagesBuilt, repoRoot } from '../../../test/support/built-packages.js'
import { backlog, type Harness, keysOf, startHarness, writeBacklog } from './harness.js'

let harness: Harness
let outdir: string

beforeAll(async () => {
  await ensurePackagesBuilt() // the bundle takes @lamina/* from each package's dist/, as a user's would
  harness = await startHarness()
  outdir = await mkdtemp(join(tmpdir(), 'scheduled-task-build-'))
}, 5 * 60_000)

afterAll(async () => {
  await harness?.stop()
  if (outdir) await rm(outdir, { recursive: true, force: true })
})

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

test('the bundle lamina build writes for RollupFunction drains a backlog in the local runtime', async () => {
  // Prepare: build as `npx lamina build examples/scheduled-task` does (into a temporary folder),
  // and a table with five records.
  const functions = await buildFunctions({ target: 'examples/scheduled-task', cwd: repoRoot, outdir })
  expect(functions.map((fn) => fn.name)).toEqual(['RollupFunction'])
  const built = functions[0] as BuiltFunction
  console.log(`scheduled-task RollupFunction bundle: ${kb(built.bytes)} minified, ${kb(built.gzipBytes)} min+gz`)
  expect(relative(outdir, built.outfile)).toBe(join('RollupFunction', 'rollup.mjs'))
  expect(built.handler).toBe('rollup.handler') // the template's Handler, in its CodeUri .lamina/build/RollupFunction
  expect(built.duplicates).toEqual([])
  const table = await harness.newTable()
  const records = backlog([3, 1, 4, 1, 5])
  await writeBacklog(harness.db, table, records)
  const event = JSON.parse(readFileSync(join(repoRoot, 'examples/scheduled-task/events/scheduled.json'), 'utf8'))
  const fn = await startLocalFunction({
    handler: built.handler,
    cwd: dirname(built.outfile),
    timeoutSeconds: 60,
    env: {
      TABLE_NAME: table,
      ITEM_BUDGET_MS: '1000',
      AWS_ENDPOINT_URL_DYNAMODB: harness.dynalite.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      POWERTOOLS_SERVICE_NAME: 'usage-rollup',
      POWERTOOLS_METRICS_NAMESPACE: 'lamina-examples',
      POWERTOOLS_TRACE_ENABLED: 'false', // no X-Ray daemon here
    },
  })
  try {
    // Act
    const result = await fn.invoke(event)

    // Assess: drained, and it said so in its stop line and its metric document.
    expect(result.error).toBeUndefined()
    expect(result.cold).toBe(true)
    const keys = keysOf(records)
    expect(result.response).toMatchObject({ reason: 'drained', processed: 5, checkpoint: keys.at(-1) })
    const lines = result.logs.flatMap((line) => {
      try {
        return [JSON.parse(line.slice(line.indexOf('{')))]
      } catch {
        return []
      }
    })
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: 'usage roll-up stopped: backlog drained', processed: 5 }),
        expect.objectContaining({ ItemsProcessed: 5, BacklogDrained: 1 }),
      ]),
    )
  } finally {
    await fn.close()
  }
}, 180_000)
