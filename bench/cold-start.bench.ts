// Cold start and bundle size, as a user ships a function: each case is an entry bundled with
// esbuild (bundle, ESM, node22, as the README's Deploy section does) from a folder outside the
// repo, then started in fresh `node` processes: import the bundle (init), answer one event. The
// figure is the child's own CPU time (user + system) from spawn to the first response, above
// the same runner with a bare handler: CPU time is what init costs, whatever else the shared
// machine runs (wall time, noisier, is reported beside it). Cases run in interleaved rounds,
// medians kept. Also each Lamina package's import cost alone (its dist, unbundled). Packages
// resolve as in a project that ran the README's `npm i` lines: the tracer's optional peers (the
// OpenTelemetry SDK) are not installed there, so the plain esbuild builds treat them as missing;
// one more case has them installed, as a project using the OpenTelemetry mode has.
//
// The stack and its twin are also built three other ways, each case labelled:
// - plain esbuild with `splitting: true` (what @lamina/tracer's README suggests for the fastest
//   start): each import() becomes a chunk of its own, read only when imported;
// - `lamina build` (split, minified, node24, `module` before `main`), the twin built the same way;
// - `lamina build --compile-cache` (Node 22 and later: a V8 compile cache made at build time with
//   this Node), the twin too. The stack ÷ twin ratios are reported for each build, and the cached
//   stack against the twin without a cache (what the twin's user gets from their own build).
// Needs the packages built (npm run build). Run: npx tsx bench/cold-start.bench.ts
import { spawn } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type Plugin } from 'esbuild'
import { median, quick, report } from './support/report.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const rounds = quick ? 7 : 21
// Node's module compile cache (module.enableCompileCache) exists from Node 22.
const compileCacheWorks = Number(process.versions.node.split('.')[0]) >= 22
const requireBanner = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"

// The stack: timeoutGuard + errorMapper + observability (tracing off, as without active
// tracing) + validator (zod), one log line and one metric; and its Middy + Powertools twin.
const order = `const Order = z.object({ sku: z.string().min(1), quantity: z.number().int().positive() })`
const entries: Record<string, string> = {
  bare: `export const handler = async () => ({ statusCode: 200, body: '{}' })`,
  'lamina stack': `
import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { observability } from '@lamina/observability'
import { timeoutGuard } from '@lamina/timeout'
import { validator } from '@lamina/validator'
import { z } from 'zod'
${order}
export const handler = wrap()
  .use(timeoutGuard({ marginMs: 300 }))
  .use(errorMapper())
  .use(observability())
  .use(validator({ body: Order }))
  .handler(async (event, context) => {
    context.logger.info('order placed', { sku: event.body.sku })
    context.metrics.addMetric('OrdersPlaced', 'Count', 1)
    return { statusCode: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event.body) }
  })`,
  // The same stack with logging() and metrics() instead of observability(): no tracing(), so the
  // bundle holds neither the X-Ray SDK nor OpenTelemetry. Reported, to show what the tracer costs a
  // function that has tracing off (in one file: Node compiling the tracing code it never runs;
  // @lamina/tracer loads Powertools' CommonJS Tracer, so no ES-module import of node:http, which
  // on Node 22 and 24 loads undici at init).
  'lamina stack without tracing()': `
import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { logging } from '@lamina/logger'
import { metrics } from '@lamina/metrics'
import { timeoutGuard } from '@lamina/timeout'
import { validator } from '@lamina/validator'
import { z } from 'zod'
${order}
export const handler = wrap()
  .use(timeoutGuard({ marginMs: 300 }))
  .use(errorMapper())
  .use(logging())
  .use(metrics())
  .use(validator({ body: Order }))
  .handler(async (event, context) => {
    context.logger.info('order placed', { sku: event.body.sku })
    context.metrics.addMetric('OrdersPlaced', 'Count', 1)
    return { statusCode: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event.body) }
  })`,
  'middy + powertools stack': `
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import { createError } from '@middy/util'
import { Logger } from '@aws-lambda-powertools/logger'
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import { Tracer } from '@aws-lambda-powertools/tracer'
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware'
import { z } from 'zod'
${order}
const logger = new Logger()
const metrics = new Metrics()
const tracer = new Tracer()
export const handler = middy(async (event) => {
  logger.info('order placed', { sku: event.body.sku })
  metrics.addMetric('OrdersPlaced', 'Count', 1)
  return { statusCode: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event.body) }
}, { timeoutEarlyInMillis: 300 })
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(httpErrorHandler())
  .use(httpJsonBodyParser())
  .use({
    before(request) {
      const result = Order.safeParse(request.event.body)
      if (!result.success) throw createError(400, JSON.stringify({ issues: result.error.issues }), { expose: true })
      request.event.body = result.data
    },
  })`,
  // examples/hello, and the same two middlewares on @middy/core.
  'lamina hello example': `export { handler } from './example/hello/handler.ts'`,
  'middy hello twin': `
import middy from '@middy/core'
export const handler = middy(async (event) => {
  if (event.name.length > 64) return { statusCode: 400, body: JSON.stringify({ message: 'name is too long' }) }
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'hello, ' + event.name }) }
})
  .use({ after(request) { request.response.headers = { ...request.response.headers, 'x-powered-by': 'middy' } } })
  .use({ before(request) { request.event.name = request.event.queryStringParameters?.name ?? 'world' } })`,
  // The logger alone: import + logging() init against import + new Logger().
  'lamina logger': `
import { logging } from '@lamina/logger'
const middleware = logging()
export const handler = async () => ({ statusCode: 200, body: typeof middleware.before })`,
  'powertools logger': `
import { Logger } from '@aws-lambda-powertools/logger'
const logger = new Logger()
export const handler = async () => ({ statusCode: 200, body: typeof logger.info })`,
}
// Bundled for size only: its cold start needs its secret, which is read at the first invocation.
const sizeOnly: Record<string, string> = {
  'lamina orders-api fixture': `export { handler } from './example/orders-api/handler.ts'`,
}

// The stack and its twin built the other ways the header lists.
const splitBuilt: Record<string, string> = {
  'lamina stack (esbuild splitting: true)': entries['lamina stack'] as string,
}
// The stack as one file again, for a project that also installed the OpenTelemetry SDK packages
// (the tracer's optional peers, for its OpenTelemetry mode): the bundle then holds them too.
const withOptionalPeers: Record<string, string> = {
  'lamina stack (OpenTelemetry SDK installed too)': entries['lamina stack'] as string,
}
const laminaBuilt: Record<string, { source: string; compileCache: boolean }> = {
  'lamina stack (lamina build)': { source: entries['lamina stack'] as string, compileCache: false },
  'middy + powertools stack (lamina build)': {
    source: entries['middy + powertools stack'] as string,
    compileCache: false,
  },
  ...(compileCacheWorks
    ? {
        'lamina stack (lamina build --compile-cache)': {
          source: entries['lamina stack'] as string,
          compileCache: true,
        },
        'middy + powertools stack (lamina build --compile-cache)': {
          source: entries['middy + powertools stack'] as string,
          compileCache: true,
        },
      }
    : {}),
}
const timed = [
  ...Object.keys(entries),
  ...Object.keys(splitBuilt),
  ...Object.keys(withOptionalPeers),
  ...Object.keys(laminaBuilt),
]

// The runner is the same for every case: import the bundle, answer one event, report CPU time.
const runner = `
const started = process.hrtime.bigint()
const { handler } = await import(process.argv[2])
const event = { version: '2.0', rawPath: '/orders', headers: { 'content-type': 'application/json' },
  queryStringParameters: { name: 'bench' }, requestContext: { requestId: 'cold', http: { method: 'POST', path: '/orders' } },
  body: JSON.stringify({ sku: 'lamina-mug', quantity: 2 }), isBase64Encoded: false }
const deadline = Date.now() + 30_000
const context = { functionName: 'cold', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:cold',
  memoryLimitInMB: '1024', awsRequestId: 'c0ffee00-0000-4000-8000-000000000000', logGroupName: '/aws/lambda/cold', logStreamName: 's',
  callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => deadline - Date.now() }
const response = await handler(event, context)
const { user, system } = process.cpuUsage()
process.send({ cpuMs: (user + system) / 1000, status: response?.statusCode })
process.disconnect()
process.exit(0)
`

const work = mkdtempSync(join(tmpdir(), 'lamina-cold-'))
const lambdaEnv = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: 'cold',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  LAMBDA_TASK_ROOT: work,
  _HANDLER: 'index.handler',
  POWERTOOLS_SERVICE_NAME: 'orders',
  POWERTOOLS_METRICS_NAMESPACE: 'lamina-bench',
  // Without active tracing: no trace header and no daemon; the twin's Tracer still loads the X-Ray SDK.
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  POWERTOOLS_TRACE_ENABLED: 'false',
}

interface Bundle {
  /** The file the runner imports: the bundle, or its entry. */
  file: string
  /** Every file, and every file gzipped alone. */
  bytes: number
  gzipped: number
  /** The entry and the chunks it imports statically: what init reads. */
  initBytes: number
}

const folderOf = (name: string) => join(work, name.replace(/[^a-z0-9]+/gi, '-'))

// What `npm install` of the README's packages leaves out: the tracer's optional peer dependencies
// (the OpenTelemetry SDK, for its OpenTelemetry mode). This repository installs them for its tests,
// so the plain esbuild builds resolve them as missing, as in a user's project: esbuild then keeps
// each one's `import()` for run time, exactly what it does with a package that is not there.
const tracerPackage = JSON.parse(readFileSync(join(root, 'packages/tracer/package.json'), 'utf8')) as {
  peerDependenciesMeta: Record<string, { optional?: boolean }>
}
const optionalPeers = new Set(
  Object.entries(tracerPackage.peerDependenciesMeta)
    .filter(([, meta]) => meta.optional === true)
    .map(([name]) => name),
)
const notInstalled: Plugin = {
  name: 'optional peers not installed',
  setup(builder) {
    builder.onResolve({ filter: /^@opentelemetry\// }, ({ path }) =>
      optionalPeers.has(path) ? { path, external: true } : undefined,
    )
  },
}

async function bundle(
  name: string,
  source: string,
  { splitting = false, optionalPeersInstalled = false } = {},
): Promise<Bundle> {
  const dir = folderOf(name)
  mkdirSync(dir, { recursive: true })
  // The examples' handlers, copied out of the repo so the bundle resolves everything as a user's would.
  const handlers = { hello: 'examples/hello', 'orders-api': 'bench/fixtures/orders-api' }
  for (const [example, folder] of Object.entries(handlers)) {
    mkdirSync(join(dir, 'example', example), { recursive: true })
    copyFileSync(join(root, folder, 'src', 'handler.ts'), join(dir, 'example', example, 'handler.ts'))
  }
  writeFileSync(join(dir, 'entry.ts'), source)
  const file = join(dir, 'index.mjs')
  const result = await build({
    absWorkingDir: dir,
    entryPoints: ['entry.ts'],
    ...(splitting
      ? { splitting: true, outdir: dir, entryNames: 'index', outExtension: { '.js': '.mjs' } }
      : { outfile: file }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    banner: { js: requireBanner },
    nodePaths: [join(root, 'node_modules')],
    plugins: optionalPeersInstalled ? [] : [notInstalled],
    metafile: true,
    logLevel: 'error',
  })
  const outputs = Object.entries(result.metafile.outputs).map(([path, output]) => ({
    path: join(dir, path),
    output,
  }))
  const entry = outputs.find(({ path }) => path === file)!
  const staticChunks = entry.output.imports.filter(
    (imported) => imported.kind === 'import-statement' && !imported.external,
  )
  return {
    file,
    bytes: outputs.reduce((total, { path }) => total + statSync(path).size, 0),
    gzipped: outputs.reduce((total, { path }) => total + gzipSync(readFileSync(path), { level: 9 }).byteLength, 0),
    initBytes:
      entry.output.bytes + staticChunks.reduce((total, imported) => total + statSync(join(dir, imported.path)).size, 0),
  }
}

// `lamina build` itself, from @lamina/local's sources (this bench runs under tsx).
const local = await import('../packages/local/src/index.js')

/** The entry built by `lamina build` from a folder outside the repo that resolves packages as a user's project does. */
async function laminaBuild(name: string, source: string, compileCache: boolean): Promise<Bundle> {
  const dir = folderOf(name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'entry.ts'), source)
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
  const [built] = await local.buildFunctions({
    cwd: dir,
    target: 'entry.ts',
    outdir: join(dir, 'build'),
    compileCache,
    nodePath: process.execPath,
  })
  if (built === undefined) throw new Error(`lamina build wrote nothing for ${name}`)
  return { file: built.outfile, bytes: built.bytes, gzipped: built.gzipBytes, initBytes: built.initBytes }
}

/** One fresh process: spawn → first response, its own CPU time and the wall time we saw. */
function coldRun(bundleFile: string): Promise<{ cpuMs: number; wallMs: number }> {
  const started = performance.now()
  const child = spawn(process.execPath, [join(work, 'runner.mjs'), `file://${bundleFile}`], {
    cwd: work,
    env: lambdaEnv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  return new Promise((resolve, reject) => {
    child.on('message', (message: { cpuMs: number; status?: number }) => {
      if (message.status === undefined || message.status >= 300) {
        reject(new Error(`${bundleFile} answered ${message.status}: ${stderr}`))
      }
      resolve({ cpuMs: message.cpuMs, wallMs: performance.now() - started })
    })
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${bundleFile} exited ${code}: ${stderr}`))
    })
  })
}

/** A package's dist imported alone in a fresh process: its own CPU time above an empty module. */
function importCpu(specifier: string): Promise<number> {
  const code = `await import(${JSON.stringify(specifier)}); const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000))`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      cwd: root,
      env: { PATH: lambdaEnv.PATH },
    })
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
    })
    child.on('exit', (status) =>
      status === 0 ? resolve(Number(out)) : reject(new Error(`import ${specifier} failed`)),
    )
  })
}

if (!existsSync(join(root, 'packages/core/dist/index.js'))) {
  console.error('bench/cold-start.bench.ts: build the packages first (npm run build).')
  process.exit(1)
}

try {
  writeFileSync(join(work, 'runner.mjs'), runner)
  const bundles = new Map<string, Bundle>()
  for (const [name, source] of Object.entries({ ...entries, ...sizeOnly }))
    bundles.set(name, await bundle(name, source))
  for (const [name, source] of Object.entries(splitBuilt))
    bundles.set(name, await bundle(name, source, { splitting: true }))
  for (const [name, source] of Object.entries(withOptionalPeers))
    bundles.set(name, await bundle(name, source, { optionalPeersInstalled: true }))
  for (const [name, { source, compileCache }] of Object.entries(laminaBuilt))
    bundles.set(name, await laminaBuild(name, source, compileCache))

  const cpu = new Map<string, number[]>()
  const wall = new Map<string, number[]>()
  for (let round = 0; round < rounds; round++) {
    // Interleaved, and a different case first each round.
    for (let index = 0; index < timed.length; index++) {
      const name = timed[(index + round) % timed.length] as string
      const { cpuMs, wallMs } = await coldRun(bundles.get(name)!.file)
      cpu.set(name, [...(cpu.get(name) ?? []), cpuMs])
      wall.set(name, [...(wall.get(name) ?? []), wallMs])
    }
  }
  const cpuOf = (name: string) => median(cpu.get(name)!)
  const wallOf = (name: string) => median(wall.get(name)!)
  const above = (name: string) => cpuOf(name) - cpuOf('bare')
  const wallAbove = (name: string) => wallOf(name) - wallOf('bare')

  const stackRatio = above('lamina stack') / above('middy + powertools stack')
  const helloRatio = above('lamina hello example') / above('middy hello twin')
  const loggerRatio = cpuOf('lamina logger') / cpuOf('powertools logger')
  const sizeRatio = bundles.get('lamina stack')!.gzipped / bundles.get('middy + powertools stack')!.gzipped

  const importRows = []
  if (!quick) {
    const packages = readdirSync(join(root, 'packages')).filter((name) =>
      existsSync(join(root, 'packages', name, 'dist', 'index.js')),
    )
    const samples = new Map<string, number[]>()
    const specifiers = ['data:text/javascript,export default 1', ...packages.map((name) => `@lamina/${name}`)]
    for (let round = 0; round < 5; round++) {
      for (const specifier of specifiers)
        samples.set(specifier, [...(samples.get(specifier) ?? []), await importCpu(specifier)])
    }
    const empty = median(samples.get(specifiers[0] as string)!)
    for (const specifier of specifiers.slice(1)) {
      importRows.push({
        package: specifier,
        'import CPU ms above an empty module': (median(samples.get(specifier)!) - empty).toFixed(1),
      })
    }
  }

  report({
    id: 'cold-start',
    title: 'Cold start and bundle size',
    tables: [
      {
        title: `spawn → first response, ms (median of ${rounds} interleaved fresh processes; CPU time of the child, wall time seen by the parent; node ${process.version})`,
        rows: timed.map((name) => ({
          bundle: name,
          'CPU ms': cpuOf(name).toFixed(1),
          'CPU ms above bare': name === 'bare' ? '' : above(name).toFixed(1),
          'wall ms': wallOf(name).toFixed(1),
          'wall ms above bare': name === 'bare' ? '' : wallAbove(name).toFixed(1),
        })),
      },
      {
        title:
          'bundle size (plain esbuild: not minified; lamina build: minified; every file, each gzipped -9 alone; at init: the entry and its static chunks)',
        rows: [...bundles].map(([name, { bytes, gzipped, initBytes }]) => ({
          bundle: name,
          bytes: String(bytes),
          'gzipped bytes': String(gzipped),
          'bytes at init': String(initBytes),
        })),
      },
      ...(importRows.length > 0
        ? [{ title: 'each Lamina package imported alone (its dist, median of 5 fresh processes)', rows: importRows }]
        : []),
    ],
    ratios: [
      {
        key: 'stack-cold-start',
        label: 'stack cold start (CPU above bare node): Lamina ÷ Middy + Powertools',
        value: stackRatio,
        budget: 0.7,
      },
      // Both are within a few ms of bare node: the ratio of two tiny differences is reported, not guarded.
      { key: 'hello-cold-start', label: 'hello example cold start: Lamina ÷ Middy', value: helloRatio, guard: false },
      {
        key: 'logger-init',
        label: '@lamina/logger import + logging() ÷ Powertools Logger import + new Logger() (CPU)',
        value: loggerRatio,
        budget: 1.05,
      },
      {
        key: 'stack-cold-start-otel-installed',
        label: 'stack cold start, one file, OpenTelemetry SDK installed too: Lamina ÷ Middy + Powertools',
        value: above('lamina stack (OpenTelemetry SDK installed too)') / above('middy + powertools stack'),
        guard: false,
      },
      {
        key: 'stack-without-tracing-cold-start',
        label: 'stack without tracing() cold start: Lamina ÷ Middy + Powertools',
        value: above('lamina stack without tracing()') / above('middy + powertools stack'),
        guard: false,
      },
      { key: 'stack-bundle-gzip', label: 'stack bundle, gzipped: Lamina ÷ Middy + Powertools', value: sizeRatio },
      {
        key: 'stack-cold-start-esbuild-splitting',
        label: 'stack cold start, Lamina by plain esbuild with splitting: true ÷ Middy + Powertools by plain esbuild',
        value: above('lamina stack (esbuild splitting: true)') / above('middy + powertools stack'),
        guard: false,
      },
      {
        key: 'stack-cold-start-lamina-build',
        label: 'stack cold start, both built by lamina build: Lamina ÷ Middy + Powertools',
        value: above('lamina stack (lamina build)') / above('middy + powertools stack (lamina build)'),
        budget: 0.7,
      },
      ...(compileCacheWorks
        ? [
            {
              key: 'stack-cold-start-compile-cache',
              label:
                'stack cold start, Lamina by lamina build --compile-cache ÷ Middy + Powertools by lamina build (no cache)',
              value:
                above('lamina stack (lamina build --compile-cache)') / above('middy + powertools stack (lamina build)'),
              budget: 0.5,
            },
            {
              key: 'stack-cold-start-compile-cache-both',
              label: 'stack cold start, both built by lamina build --compile-cache: Lamina ÷ Middy + Powertools',
              value:
                above('lamina stack (lamina build --compile-cache)') /
                above('middy + powertools stack (lamina build --compile-cache)'),
              guard: false,
            },
          ]
        : []),
    ],
    notes: compileCacheWorks
      ? []
      : [
          `Node ${process.version}: no lamina build --compile-cache cases (Node's module compile cache exists from Node 22).`,
        ],
    chart: {
      title: 'Cold start: CPU from spawn to first response, above bare node',
      unit: 'ms of CPU (lower is better)',
      bars: timed.filter((name) => name !== 'bare').map((name) => ({ label: name, value: Math.max(0, above(name)) })),
    },
  })
} finally {
  rmSync(work, { recursive: true, force: true })
}
