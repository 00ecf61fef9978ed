// Cold start: what a function pays for tracing it does not use. Each case runs one invocation in
// a fresh Node process that records every module it resolves (ESM, through a resolve hook) and
// every CommonJS module in require.cache, and reports whether OpenTelemetry or the X-Ray SDK was
// among them.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { startXRayDaemon } from '@lamina/testing'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOtlpReceiver } from '../../../test/support/otlp-receiver.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../../', import.meta.url))
let folder: string
// Takes whatever is exported, so the OpenTelemetry mode's flush ends at once.
let collector: Server

beforeAll(async () => {
  collector = createServer((request, response) => {
    request.resume().on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'))
  })
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
  folder = await mkdtemp(join(tmpdir(), 'lamina-tracer-loading-'))
  await writeFile(
    join(folder, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs'
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  appendFileSync(process.env.LAMINA_RESOLVED_LOG, resolved.url + '\\n')
  return resolved
}`,
  )
  await writeFile(
    join(folder, 'register.mjs'),
    "import { register } from 'node:module'\nregister('./hooks.mjs', import.meta.url)\n",
  )
})

afterAll(async () => {
  collector.closeAllConnections()
  collector.close()
  await rm(folder, { recursive: true, force: true })
})

const script = (options: string) => `
const { tracing } = await import('${root}packages/tracer/src/index.ts')
const { wrap } = await import('${root}packages/core/src/index.ts')
const handler = wrap(async (event, context) => typeof context.tracer?.startSpan).use(tracing(${options}))
const result = await handler({}, { functionName: 'f', getRemainingTimeInMillis: () => 1000 })
const { createRequire } = await import('node:module')
process.stdout.write(JSON.stringify({ result, cjs: Object.keys(createRequire(import.meta.url).cache) }))
`

let runs = 0

async function loadedModules(options: string, env: Record<string, string>) {
  const log = join(folder, `resolved-${++runs}.log`)
  await writeFile(log, '')
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('AWS_') &&
        !key.startsWith('POWERTOOLS_') &&
        !key.startsWith('OTEL_') &&
        key !== 'LAMINA_TRACING',
    ),
  )
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--import', join(folder, 'register.mjs'), '--input-type=module', '-e', script(options)],
    {
      cwd: root,
      env: {
        ...clean,
        ...env,
        LAMINA_RESOLVED_LOG: log,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
      },
    },
  )
  const { result, cjs } = JSON.parse(stdout) as { result: string; cjs: string[] }
  const modules = [...(await readFile(log, 'utf8')).split('\n'), ...cjs]
  return {
    result,
    openTelemetry: modules.some((path) => path.includes('@opentelemetry')),
    xraySdk: modules.some((path) => path.includes('aws-xray-sdk-core')),
  }
}

const inLambda = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' }

describe('tracing: OpenTelemetry is loaded only in the OpenTelemetry mode, with tracing on', () => {
  it.each([
    ['tracing off (outside Lambda), the X-Ray mode', '', {}],
    ["tracing off (outside Lambda), mode: 'otel'", "{ mode: 'otel' }", {}],
    ['tracing off with OTEL_SDK_DISABLED=true', "{ mode: 'otel' }", { ...inLambda, OTEL_SDK_DISABLED: 'true' }],
    [
      'tracing off with LAMINA_TRACING=otel and POWERTOOLS_TRACE_ENABLED=false',
      '',
      { ...inLambda, LAMINA_TRACING: 'otel', POWERTOOLS_TRACE_ENABLED: 'false' },
    ],
    ['the X-Ray mode on, in Lambda', '', inLambda],
  ])('is never imported: %s', async (_name, options, env) => {
    const loaded = await loadedModules(options, env)
    expect(loaded.openTelemetry).toBe(false)
  })

  it('gives the handler a context.tracer that records nothing when the OpenTelemetry mode is off', async () => {
    const loaded = await loadedModules("{ mode: 'otel' }", {})
    expect(loaded.result).toBe('function')
  })

  it.each([
    ["mode: 'otel'", "{ mode: 'otel' }", inLambda],
    ['LAMINA_TRACING=otel', '', { ...inLambda, LAMINA_TRACING: 'otel' }],
  ])('is imported, and the X-Ray SDK is not, in Lambda with %s', async (_name, options, env) => {
    const loaded = await loadedModules(options, env)
    expect(loaded).toEqual({ result: 'function', openTelemetry: true, xraySdk: false })
  })
})

describe('tracing: a bundle keeps OpenTelemetry out of the code that runs at init', () => {
  it('puts every @opentelemetry module in chunks loaded only by the OpenTelemetry mode', async () => {
    // Prepare
    const entry = join(folder, 'function.ts')
    await writeFile(
      entry,
      `import { wrap } from '${root}packages/core/src/index.ts'
import { tracing } from '${root}packages/tracer/src/index.ts'
export const handler = wrap(async () => 'ok').use(tracing())`,
    )

    // Act: as a deployment bundles it, split so that what is loaded lazily is visible as chunks.
    const { metafile } = await build({
      entryPoints: [entry],
      outdir: join(folder, 'bundle'),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      metafile: true,
      logLevel: 'silent',
    })

    // Assess: the entry and everything it imports statically hold none; the lazy chunks hold them.
    const outputs = metafile.outputs
    const [entryOutput] = Object.entries(outputs).filter(([, output]) => output.entryPoint?.endsWith('function.ts'))
    const staticallyLoaded = new Set<string>()
    const visit = (path: string) => {
      if (staticallyLoaded.has(path)) return
      staticallyLoaded.add(path)
      for (const imported of outputs[path]?.imports ?? [])
        if (imported.kind === 'import-statement') visit(imported.path)
    }
    visit(entryOutput?.[0] as string)
    const inputsOf = (paths: Iterable<string>) => [...paths].flatMap((path) => Object.keys(outputs[path]?.inputs ?? {}))
    expect(inputsOf(staticallyLoaded).filter((input) => input.includes('@opentelemetry'))).toEqual([])
    expect(inputsOf(Object.keys(outputs)).some((input) => input.includes('@opentelemetry/sdk-trace'))).toBe(true)
  })
})

describe('tracing: a split bundle (each import() a chunk) traces in both modes', () => {
  it('exports the span in the OpenTelemetry mode and sends the subsegment in the X-Ray mode', async () => {
    // Prepare: plain esbuild with splitting (its defaults resolve OpenTelemetry to its CommonJS
    // builds, whose chunks export only `default`) and the createRequire banner the X-Ray SDK needs.
    const entry = join(folder, 'split-function.ts')
    await writeFile(
      entry,
      `import { wrap } from '${root}packages/core/src/index.ts'
import { tracing } from '${root}packages/tracer/src/index.ts'
const handler = wrap(async () => ({ statusCode: 200 })).use(tracing())
const context = { functionName: 'split', awsRequestId: 'c0ffee00-0000-4000-8000-000000000000', getRemainingTimeInMillis: () => 5000 }
process.stdout.write(JSON.stringify(await handler({}, context)))`,
    )
    const outdir = join(folder, 'split')
    await build({
      entryPoints: [entry],
      outdir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      outExtension: { '.js': '.mjs' },
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: 'silent',
    })
    const receiver = await startOtlpReceiver()
    const daemon = await startXRayDaemon()
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^(AWS_|POWERTOOLS_|OTEL_|LAMINA_|_X_AMZN)/.test(key)),
    )
    const inLambdaTraced = {
      ...inLambda,
      ...daemon.environment,
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    }
    const invoke = (env: Record<string, string>) =>
      run(process.execPath, [join(outdir, 'split-function.mjs')], { cwd: outdir, env: { ...clean, ...env } })

    // Act
    const otel = await invoke({
      ...inLambdaTraced,
      LAMINA_TRACING: 'otel',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    })
    const spans = await receiver.waitFor(1).finally(() => receiver.close())
    const xray = await invoke(inLambdaTraced)
    const documents = await daemon.waitFor(1).finally(() => daemon.close())

    // Assess
    expect(JSON.parse(otel.stdout)).toEqual({ statusCode: 200 })
    expect(spans.map((span) => [span.name, span.traceId])).toEqual([['split', '5759e988bd862e3fe1be46a994272793']])
    expect(JSON.parse(xray.stdout)).toEqual({ statusCode: 200 })
    expect(documents.map((document) => [document.name, document.trace_id])).toEqual([
      ['## index.handler', '1-5759e988-bd862e3fe1be46a994272793'],
    ])
  }, 60_000)
})
