// @lamina/local's runtime, measured (standalone: npx tsx bench/local-runtime.bench.ts; needs the
// packages built, npm run build). On the Node 24 binary when LAMINA_BENCH_NODE points at one
// (else this process's node). Interleaved rounds, medians; ratios are what to compare.
//
// 1. Cold start through the emulator: spawn → first response, for the bundled orders-api example
//    (lamina build), its twin on Middy + Powertools middlewares (bench/fixtures/middy-orders, built
//    the same way) and, as the floor, a bundle that only returns.
// 2. One warm invocation through the emulator against a direct call of the same bundle's handler.
// 3. A V8 compile cache made at build time: the orders-api bundle started from a read-only copy at
//    another path, with and without the cache shipped beside it (child CPU time, spawn → import).
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const quick = process.argv.includes('--quick')
const node = process.env.LAMINA_BENCH_NODE ?? process.execPath
// The built package, as users run it: its loop runs from dist/runtime-child.js, without tsx.
const local = (await import(
  pathToFileURL(join(root, 'packages/local/dist/index.js')).href
)) as typeof import('../packages/local/src/index.js')
const { events } = await import('@lamina/testing')

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
const ms = (value: number) => `${value.toFixed(value < 1 ? 3 : 1)} ms`

const work = mkdtempSync(join(tmpdir(), 'lamina-local-bench-'))
const nodeVersion = execFileSync(node, ['-v']).toString().trim()
console.log(`@lamina/local runtime bench, ${nodeVersion}${quick ? ' (quick)' : ''}\n`)

// The functions, built as users build them.
const [orders] = await local.buildFunctions({
  cwd: root,
  target: 'bench/fixtures/orders-api',
  outdir: join(work, 'orders'),
})
const [hello] = await local.buildFunctions({ cwd: root, target: 'examples/hello', outdir: join(work, 'hello') })
const [middyOrders] = await local.buildFunctions({
  cwd: root,
  target: 'bench/fixtures/middy-orders/handler.ts',
  outdir: join(work, 'middy-orders'),
})
const bare = join(work, 'bare')
mkdirSync(bare)
writeFileSync(join(bare, 'index.mjs'), "export const handler = async () => ({ statusCode: 200, body: '{}' })\n")

// A local Secrets Manager for orders-api, so that its first response is the real 201.
const { startSecretsManagerServer } = await import('../test/support/secrets-manager-server.js')
const secrets = await startSecretsManagerServer()
secrets.setSecret('orders/pricing', JSON.stringify({ apiKey: 'local-key-123', discountPercent: 10 }))
const ordersEnv = {
  AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  POWERTOOLS_TRACE_ENABLED: 'false',
}
const orderEvent = events.apiGatewayV2({ method: 'POST', path: '/orders', body: { sku: 'lamina-mug', quantity: 3 } })

// 1. Cold start: a fresh function each time, timed from invoke() (spawn) to its answer.
async function coldStart(handler: string, cwd: string, event: unknown, env: Record<string, string> = {}) {
  const fn = await local.startLocalFunction({ handler, cwd, nodePath: node, timeoutSeconds: 10, env })
  const started = performance.now()
  const result = await fn.invoke(event)
  const elapsed = performance.now() - started
  await fn.close()
  if (result.error) throw new Error(`${handler}: ${result.error.errorType} ${result.error.errorMessage}`)
  // Only a real answer counts: a function that failed fast would look fast.
  const status = (result.response as { statusCode?: number } | undefined)?.statusCode
  if (status !== undefined && status >= 300) throw new Error(`${handler}: answered ${status}`)
  return elapsed
}
const coldRounds = quick ? 5 : 15
const cold = { bare: [] as number[], orders: [] as number[], middy: [] as number[] }
for (let round = 0; round < coldRounds; round++) {
  cold.bare.push(await coldStart('index.handler', bare, {}))
  cold.orders.push(await coldStart(orders!.handler, dirname(orders!.outfile), orderEvent, ordersEnv))
  cold.middy.push(await coldStart(middyOrders!.handler, dirname(middyOrders!.outfile), orderEvent, ordersEnv))
}
console.log('Cold start through the emulator (spawn → first response), medians')
console.log(`  bare bundle            ${ms(median(cold.bare))}`)
console.log(
  `  orders-api bundle      ${ms(median(cold.orders))}  (${(median(cold.orders) / median(cold.bare)).toFixed(2)}× the bare one)`,
)
console.log(
  `  Middy + Powertools twin ${ms(median(cold.middy))}  (orders-api takes ${(median(cold.orders) / median(cold.middy)).toFixed(2)}× the twin's time)`,
)
console.log(
  `  bundles (min+gz)       orders-api ${(orders!.gzipBytes / 1024).toFixed(0)} KB, twin ${(middyOrders!.gzipBytes / 1024).toFixed(0)} KB\n`,
)

// 2. Warm: one invocation through the emulator vs a direct call, same bundle, same event.
const helloEvent = events.apiGatewayV2({ method: 'GET', path: '/', query: { name: 'ada' } })
const { handler: direct } = (await import(pathToFileURL(hello!.outfile).href)) as {
  handler: (event: unknown, context: unknown) => Promise<unknown>
}
const context = { awsRequestId: 'bench', functionName: 'hello', getRemainingTimeInMillis: () => 3000 }
const warmFn = await local.startLocalFunction({ handler: hello!.handler, cwd: dirname(hello!.outfile), nodePath: node })
await warmFn.invoke(helloEvent)
const warmRounds = quick ? 100 : 500
const through: number[] = []
const called: number[] = []
for (let round = 0; round < warmRounds; round++) {
  let started = performance.now()
  await warmFn.invoke(helloEvent)
  through.push(performance.now() - started)
  started = performance.now()
  await direct(helloEvent, context)
  called.push(performance.now() - started)
}
await warmFn.close()
console.log('One warm invocation (hello bundle), medians')
console.log(`  direct call            ${ms(median(called))}`)
console.log(
  `  through the emulator   ${ms(median(through))}  (+${ms(median(through) - median(called))}, ${(median(through) / median(called)).toFixed(0)}× the direct call)\n`,
)
await secrets.close()

// 3. Compile cache: made at build time next to the bundle, used from a read-only copy elsewhere.
const loader = (withCache: boolean) => `
import { enableCompileCache } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
const here = dirname(fileURLToPath(import.meta.url))
${withCache ? "enableCompileCache({ directory: join(here, '.compile-cache'), portable: true })" : ''}
await import(join(here, 'handler.mjs'))
const { user, system } = process.cpuUsage()
process.stdout.write(\`\\nlamina-cpu-ms=\${(user + system) / 1000}\\n\`)
`
// node:module's enableCompileCache arrived in Node 22.1: on Node 20 there is nothing to measure.
if (Number(nodeVersion.slice(1).split('.')[0]) >= 22) {
  const built = join(work, 'cache-build')
  cpSync(dirname(orders!.outfile), built, { recursive: true })
  writeFileSync(join(built, 'with-cache.mjs'), loader(true))
  writeFileSync(join(built, 'without-cache.mjs'), loader(false))
  execFileSync(node, [join(built, 'with-cache.mjs')], { env: { ...process.env, ...ordersEnv } }) // writes the cache
  const cacheBytes = readdirSync(join(built, '.compile-cache'), { recursive: true })
    .map((entry) => statSync(join(built, '.compile-cache', String(entry))))
    .filter((stat) => stat.isFile())
    .reduce((total, stat) => total + stat.size, 0)
  const shipped = join(work, 'elsewhere', 'var', 'task')
  cpSync(built, shipped, { recursive: true })
  const readOnly = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) readOnly(join(path, entry.name))
      else chmodSync(join(path, entry.name), 0o444)
    }
    chmodSync(path, 0o555)
  }
  readOnly(shipped)

  function startOnce(file: string): Promise<{ cpu: number; wall: number }> {
    const started = performance.now()
    return new Promise((resolve, reject) => {
      const child = spawn(node, [join(shipped, file)], { env: { ...process.env, ...ordersEnv } })
      let out = ''
      child.stdout.on('data', (chunk) => {
        out += chunk
      })
      child.on('error', reject)
      child.on('close', (code) =>
        code === 0
          ? resolve({ cpu: Number(/lamina-cpu-ms=([\d.]+)/.exec(out)?.[1]), wall: performance.now() - started })
          : reject(new Error(`${file} exited ${code}`)),
      )
    })
  }
  const cacheRounds = quick ? 7 : 21
  const runs = { without: [] as { cpu: number; wall: number }[], with: [] as { cpu: number; wall: number }[] }
  for (let round = 0; round < cacheRounds; round++) {
    runs.without.push(await startOnce('without-cache.mjs'))
    runs.with.push(await startOnce('with-cache.mjs'))
  }
  const cpu = (list: { cpu: number }[]) => median(list.map((run) => run.cpu))
  const wall = (list: { wall: number }[]) => median(list.map((run) => run.wall))
  console.log(
    `Compile cache (orders-api bundle, ${(cacheBytes / 1024).toFixed(0)} KB of cache), read-only copy at another path, spawn → import done, medians`,
  )
  console.log(`  without the cache      CPU ${ms(cpu(runs.without))}  wall ${ms(wall(runs.without))}`)
  console.log(
    `  with the cache         CPU ${ms(cpu(runs.with))}  wall ${ms(wall(runs.with))}  (CPU ${(cpu(runs.with) / cpu(runs.without)).toFixed(2)}×, wall ${(wall(runs.with) / wall(runs.without)).toFixed(2)}×)`,
  )

  chmodSync(join(work, 'elsewhere'), 0o755)
  const writable = (path: string) => {
    chmodSync(path, 0o755)
    for (const entry of readdirSync(path, { withFileTypes: true }))
      if (entry.isDirectory()) writable(join(path, entry.name))
  }
  writable(shipped)
} else {
  console.log(`Compile cache: needs Node 22.1 or later (this is ${nodeVersion}); not measured.`)
}
rmSync(work, { recursive: true, force: true })
