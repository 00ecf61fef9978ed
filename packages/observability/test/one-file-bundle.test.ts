// The stack the README recommends, bundled as a user deploys it: esbuild, one ES-module file, the
// createRequire banner, from a folder outside the repo that resolves the packages' builds. With
// tracing off it must not import node:http at init (an ES-module import of node:http makes Node 22
// and 24 load their bundled undici: tens of ms of every cold start); with tracing on it traces.
import { execFile } from 'node:child_process'
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { lambdaEnvironmentDefaults, newTraceId, startXRayDaemon, traceHeader, type XRayDaemon } from '@lamina/testing'
import { build, type Metafile } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanEnv, ensurePackagesBuilt, repoRoot } from '../../../test/support/built-packages.js'

const run = promisify(execFile)

const stack = `import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { observability } from '@lamina/observability'
import { timeoutGuard } from '@lamina/timeout'
import { validator } from '@lamina/validator'
import { z } from 'zod'
const Order = z.object({ sku: z.string().min(1), quantity: z.number().int().positive() })
export const handler = wrap()
  .use(timeoutGuard({ marginMs: 300 }))
  .use(errorMapper())
  .use(observability())
  .use(validator({ body: Order }))
  .handler(async (event, context) => {
    context.logger.info('order placed', { sku: event.body.sku })
    context.metrics.addMetric('OrdersPlaced', 'Count', 1)
    return { statusCode: 201, body: JSON.stringify(event.body) }
  })
`

// Imports the bundle (its init), answers one order, reports the status and what Node loaded.
const invoke = `const { handler } = await import(process.argv[2])
const event = { version: '2.0', rawPath: '/orders', headers: { 'content-type': 'application/json' },
  requestContext: { requestId: 'r-1', http: { method: 'POST', path: '/orders' } },
  body: JSON.stringify({ sku: 'lamina-mug', quantity: 2 }), isBase64Encoded: false }
const response = await handler(event, { functionName: 'orders', awsRequestId: 'c0ffee00-0000-4000-8000-000000000000',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders', getRemainingTimeInMillis: () => 5000 })
console.error(JSON.stringify({ status: response.statusCode, http: process.moduleLoadList.includes('NativeModule http') }))
`

let folder: string
let metafile: Metafile
let daemon: XRayDaemon

beforeAll(async () => {
  await ensurePackagesBuilt()
  daemon = await startXRayDaemon()
  folder = await mkdtemp(join(tmpdir(), 'lamina-observability-bundle-'))
  await symlink(join(repoRoot, 'node_modules'), join(folder, 'node_modules'), 'dir')
  await writeFile(join(folder, 'function.ts'), stack)
  await writeFile(join(folder, 'invoke.mjs'), invoke)
  ;({ metafile } = await build({
    absWorkingDir: folder,
    entryPoints: ['function.ts'],
    outfile: join(folder, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'silent',
  }))
}, 5 * 60_000)

afterAll(async () => {
  daemon?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

async function invokeBundle(env: Record<string, string>) {
  const inherited = Object.fromEntries(
    Object.entries(cleanEnv).filter(([key]) => !/^(AWS_|POWERTOOLS_|OTEL_|LAMINA_|_X_AMZN|_HANDLER|LAMBDA_)/.test(key)),
  )
  const { stderr } = await run(process.execPath, [join(folder, 'invoke.mjs'), join(folder, 'index.mjs')], {
    cwd: folder,
    env: { ...inherited, ...lambdaEnvironmentDefaults('orders'), POWERTOOLS_METRICS_NAMESPACE: 'orders', ...env },
  })
  return JSON.parse(stderr.trim().split('\n').at(-1) as string) as { status: number; http: boolean }
}

describe('observability() in a one-file ES-module bundle', () => {
  it('has no ES-module import of node:http or node:https at the top of the file', () => {
    // Assess: what the bundle imports statically, hoisted to its top by esbuild.
    const hoisted = Object.values(metafile.outputs).flatMap((output) =>
      output.imports.filter((imported) => imported.kind === 'import-statement').map((imported) => imported.path),
    )
    expect(hoisted.filter((path) => /^(node:)?https?$/.test(path))).toEqual([])
  })

  it('never loads node:http with tracing off', async () => {
    // Act
    const outcome = await invokeBundle({ POWERTOOLS_TRACE_ENABLED: 'false' })

    // Assess
    expect(outcome).toEqual({ status: 201, http: false })
  })

  it('sends the handler subsegment to X-Ray with tracing on', async () => {
    // Prepare
    const traceId = newTraceId()

    // Act
    const outcome = await invokeBundle({ ...daemon.environment, _X_AMZN_TRACE_ID: traceHeader(traceId) })

    // Assess
    expect(outcome.status).toBe(201)
    const [document] = await daemon.waitFor(1)
    expect(document).toMatchObject({
      name: '## index.handler',
      trace_id: traceId,
      annotations: { ColdStart: true, Service: 'lamina-test' },
    })
  })
})
