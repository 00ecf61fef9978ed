// Lambda Managed Instances with the OpenTelemetry mode, for real: aws-lambda-ric 4 on Node 24 in
// multi-concurrent mode (AWS_LAMBDA_MAX_CONCURRENCY=8, one worker thread) polls a Runtime API on
// 127.0.0.1 and runs a bundled function whose invocations all overlap in the one process. Each
// invocation's trace header reaches the function only through the runtime's invoke store (there is
// no _X_AMZN_TRACE_ID under concurrency); every span exported over OTLP/HTTP must be under its own
// invocation's trace and handler span.
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { lambdaEnvironmentDefaults } from '@lamina/testing'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBarrier } from '../support/barrier.js'
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.js'
import { type InvocationOutcome, startRuntimeApi } from '../support/runtime-api.js'
import {
  installRuntimeInterfaceClient,
  type RuntimeInterfaceClient,
  ricVersion,
} from '../support/runtime-interface-client.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const minutes = 60_000
const concurrentInvocations = 20

let ric: RuntimeInterfaceClient
let taskRoot: string
let receiver: OtlpReceiver

/**
 * Bundles the fixture as a deployment would (esbuild, ESM), with @lamina/* taken from the
 * packages' sources: one copy of each, and no build of the whole repository needed.
 */
async function bundle(fixture: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'lamina-otel-ric-'))
  const packages = await readdir(join(root, 'packages'))
  await build({
    entryPoints: [join(root, 'test/managed-instances/fixtures', fixture)],
    outfile: join(folder, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    alias: Object.fromEntries(
      packages.map((name) => [`@lamina/${name}`, join(root, 'packages', name, 'src/index.ts')]),
    ),
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  })
  return folder
}

beforeAll(async () => {
  ric = await installRuntimeInterfaceClient()
  taskRoot = await bundle('otel-orders-handler.ts')
  receiver = await startOtlpReceiver()
}, 20 * minutes)

afterAll(async () => {
  await receiver?.close()
  if (taskRoot) await rm(taskRoot, { recursive: true, force: true })
})

describe(`aws-lambda-ric ${ricVersion} on Node 24, multi-concurrent, tracing({ mode: 'otel' })`, () => {
  it(
    'exports every span of 20 overlapping invocations under its own invocation’s trace and handler span',
    async () => {
      // Prepare
      const api = await startRuntimeApi()
      const barrier = await startBarrier(concurrentInvocations)
      const { _X_AMZN_TRACE_ID: _, ...lambda } = lambdaEnvironmentDefaults('orders-mi')
      const output: string[] = []
      const runtime = spawn(ric.node, [ric.entry], {
        cwd: taskRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          ...lambda,
          AWS_LAMBDA_INITIALIZATION_TYPE: 'lambda-managed-instances',
          AWS_LAMBDA_MAX_CONCURRENCY: '8',
          AWS_LAMBDA_NODEJS_WORKER_COUNT: '1',
          AWS_LAMBDA_RUNTIME_API: api.address,
          LAMBDA_TASK_ROOT: taskRoot,
          _HANDLER: 'index.handler',
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        },
      })
      for (const stream of [runtime.stdout, runtime.stderr]) stream?.on('data', (chunk) => output.push(String(chunk)))
      const exited = new Promise<never>((_, reject) =>
        runtime.once('exit', (code) =>
          reject(new Error(`aws-lambda-ric exited (code ${code}); its output:\n${output.join('')}`)),
        ),
      )
      const invocations = Array.from({ length: concurrentInvocations }, (_, order) => ({
        order,
        ...api.invoke({ order, barrier: barrier.url }),
      }))
      let outcomes: InvocationOutcome[]
      try {
        // Act
        outcomes = await Promise.race([Promise.all(invocations.map(({ outcome }) => outcome)), exited])
      } finally {
        runtime.kill('SIGKILL')
        barrier.close()
        await api.close()
      }

      // Assess: each answered; its spans were exported before it answered (the flush is in cleanup).
      expect(outcomes.map(({ kind, body }) => ({ kind, body }))).toEqual(
        invocations.map(({ order, requestId }) => ({ kind: 'response', body: { order, requestId } })),
      )
      const spans = receiver.spans
      // Per invocation: its span, the clients() step, the handler step, the handler's own span, the call.
      expect(spans).toHaveLength(5 * concurrentInvocations)
      for (const { order, requestId, traceId } of invocations) {
        const trace = spans.filter((span) => span.traceId === traceId.slice(2).replace('-', ''))
        const invocation = trace.find((span) => span.kind === 2)
        const step = trace.find((span) => span.name === 'handler')
        const clientsStep = trace.find((span) => span.name === 'clients.before')
        const own = trace.find((span) => span.name === 'place order')
        const call = trace.find((span) => span.kind === 3)
        expect(invocation?.attributes['faas.invocation_id'], `order ${order}`).toBe(requestId)
        expect(invocation?.parentSpanId).toBe('53995c3f42cd8ad8')
        expect(step?.parentSpanId, `order ${order}: the handler step`).toBe(invocation?.spanId)
        expect(clientsStep?.parentSpanId, `order ${order}: the clients() step`).toBe(invocation?.spanId)
        expect(own?.parentSpanId, `order ${order}: context.tracer's span`).toBe(invocation?.spanId)
        expect(own?.attributes.order).toBe(order)
        expect(call?.parentSpanId, `order ${order}: the barrier call`).toBe(own?.spanId)
        expect(trace).toHaveLength(5)
      }
    },
    5 * minutes,
  )
})
