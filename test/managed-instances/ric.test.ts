// Lambda Managed Instances, for real: the AWS runtime interface client (aws-lambda-ric 4, Node 24)
// in multi-concurrent mode (AWS_LAMBDA_MAX_CONCURRENCY=8, one worker thread) polls a Runtime API
// on 127.0.0.1 and runs a bundled function whose observability() chain is built at module scope.
// 20 invocations overlap in the one process (each waits at a barrier until all 20 have arrived);
// every log line and EMF document must carry its own invocation's request id, and X-Ray must
// receive nothing under the wrong trace id.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { lambdaEnvironmentDefaults, startXRayDaemon, type XRayDaemon } from '@lamina/testing'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBarrier } from '../support/barrier.js'
import { ensurePackagesBuilt } from '../support/built-packages.js'
import { type InvocationOutcome, type RuntimeApi, startRuntimeApi } from '../support/runtime-api.js'
import {
  installRuntimeInterfaceClient,
  type RuntimeInterfaceClient,
  ricVersion,
} from '../support/runtime-interface-client.js'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
const minutes = 60_000
const concurrentInvocations = 20

let ric: RuntimeInterfaceClient
let workdir: string

beforeAll(async () => {
  const started = performance.now()
  ric = await installRuntimeInterfaceClient()
  // The fixtures import the packages as users do, from their built dist.
  await ensurePackagesBuilt()
  workdir = await mkdtemp(join(tmpdir(), 'lamina-ric-'))
  console.info(
    `aws-lambda-ric ${ricVersion}: ${ric.installMs === 0 ? 'from the cache' : `installed in ${(ric.installMs / 1000).toFixed(1)} s`}; ` +
      `ready with the packages built in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
}, 20 * minutes)

afterAll(async () => {
  if (workdir) await rm(workdir, { recursive: true, force: true })
})

/**
 * Bundles a fixture as a deployment would (esbuild, ESM, Node 22+), resolving `@lamina/*` through
 * node_modules to each package's dist: a tsconfig of its own keeps the repository's source paths out.
 */
async function bundle(fixture: string): Promise<string> {
  const taskRoot = await mkdtemp(join(workdir, 'task-'))
  const tsconfig = join(taskRoot, 'tsconfig.json')
  await writeFile(tsconfig, JSON.stringify({ compilerOptions: { target: 'ES2022' } }))
  await build({
    entryPoints: [join(fixtures, fixture)],
    outfile: join(taskRoot, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    tsconfig,
    // The X-Ray SDK inside Powertools' Tracer calls require().
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  })
  await rm(tsconfig)
  return taskRoot
}

interface RunningRuntime {
  process: ChildProcess
  lines: string[]
  /** Rejects with the runtime's output when it exits before `promise` settles. */
  unlessExited<T>(promise: Promise<T>): Promise<T>
  /**
   * Resolves once `complete(lines)` holds: a worker thread's output reaches the process's stdout
   * after the invocation's response may have been posted. Gives up after 10 s or when the runtime
   * exits, so that missing lines fail an assertion, not the test's timeout.
   */
  outputUntil(complete: (lines: string[]) => boolean): Promise<void>
  stop(): Promise<void>
}

/** Starts aws-lambda-ric as Managed Instances run it: multi-concurrent, one worker thread. */
function startRuntime(taskRoot: string, api: RuntimeApi, extra: Record<string, string> = {}): RunningRuntime {
  const { _X_AMZN_TRACE_ID: _, ...lambda } = lambdaEnvironmentDefaults('orders-mi')
  const child = spawn(ric.node, [ric.entry], {
    cwd: taskRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...lambda,
      // No _X_AMZN_TRACE_ID: with concurrent invocations each one's trace id is in the InvokeStore.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'lambda-managed-instances',
      AWS_LAMBDA_MAX_CONCURRENCY: '8',
      AWS_LAMBDA_NODEJS_WORKER_COUNT: '1',
      AWS_LAMBDA_RUNTIME_API: api.address,
      LAMBDA_TASK_ROOT: taskRoot,
      _HANDLER: 'index.handler',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      ...extra,
    },
  })
  const lines: string[] = []
  let outputArrived = () => {}
  const collect = (stream: NodeJS.ReadableStream) => {
    let rest = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n')
      rest = parts.pop() ?? ''
      lines.push(...parts)
      outputArrived()
    })
    stream.on('end', () => {
      if (rest !== '') lines.push(rest)
    })
  }
  collect(child.stdout as NodeJS.ReadableStream)
  collect(child.stderr as NodeJS.ReadableStream)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    process: child,
    lines,
    unlessExited: (promise) =>
      Promise.race([
        promise,
        exited.then((code) => {
          throw new Error(`aws-lambda-ric exited (code ${code}) first; its output:\n${lines.join('\n')}`)
        }),
      ]),
    async outputUntil(complete) {
      if (complete(lines)) return
      await new Promise<void>((resolve) => {
        const giveUp = setTimeout(resolve, 10_000)
        const done = () => {
          clearTimeout(giveUp)
          resolve()
        }
        outputArrived = () => {
          if (complete(lines)) done()
        }
        void exited.then(done)
      })
      outputArrived = () => {}
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}

const json = (lines: string[]) =>
  lines.flatMap((line) => {
    if (!line.startsWith('{')) return []
    try {
      return [JSON.parse(line) as Record<string, any>]
    } catch {
      return []
    }
  })

describe(`aws-lambda-ric ${ricVersion} on Node 24, multi-concurrent (Lambda Managed Instances)`, () => {
  let api: RuntimeApi
  let daemon: XRayDaemon
  let runtime: RunningRuntime | undefined

  beforeAll(async () => {
    daemon = await startXRayDaemon()
  })

  afterAll(async () => {
    daemon?.close()
  })

  it(
    'initialises a module-scope observability() chain and keeps 20 overlapping invocations apart',
    async () => {
      // Prepare: active tracing on, as a function with X-Ray enabled has it.
      const taskRoot = await bundle('orders-handler.ts')
      api = await startRuntimeApi()
      const barrier = await startBarrier(concurrentInvocations)
      runtime = startRuntime(taskRoot, api, { AWS_XRAY_DAEMON_ADDRESS: daemon.address })
      let outcomes: InvocationOutcome[]
      const invocations = Array.from({ length: concurrentInvocations }, (_, order) => ({
        order,
        ...api.invoke({ order, barrier: barrier.url }),
      }))
      try {
        // Act
        await runtime.unlessExited(api.ready)
        outcomes = await runtime.unlessExited(Promise.all(invocations.map(({ outcome }) => outcome)))
        // Two log lines and one EMF document per invocation.
        await runtime.outputUntil(
          (lines) => json(lines).filter((record) => 'order' in record).length >= 3 * concurrentInvocations,
        )
      } finally {
        await runtime.stop()
        barrier.close()
        await api.close()
      }

      // Assess: every invocation answered with its own request id...
      expect(outcomes.map(({ kind, body }) => ({ kind, body }))).toEqual(
        invocations.map(({ order, requestId }) => ({ kind: 'response', body: { order, requestId } })),
      )
      const requestIdOf = new Map(invocations.map(({ order, requestId }) => [order, requestId]))
      const traceIdOf = new Map(invocations.map(({ order, traceId }) => [order, traceId]))
      const records = json(runtime.lines)

      // ...every log line carries its own invocation's request id and trace id...
      const logLines = records.filter(
        (record) => record.message === 'order received' || record.message === 'order placed',
      )
      expect(logLines).toHaveLength(2 * concurrentInvocations)
      for (const line of logLines) {
        expect(line.function_request_id, `log line of order ${line.order}`).toBe(requestIdOf.get(line.order))
        expect(line.xray_trace_id, `log line of order ${line.order}`).toBe(traceIdOf.get(line.order))
      }

      // ...every EMF document holds exactly its own invocation's metric and metadata...
      const metricDocuments = records.filter((record) => 'OrdersPlaced' in record)
      expect(metricDocuments).toHaveLength(concurrentInvocations)
      for (const document of metricDocuments) {
        expect(document.OrdersPlaced).toBe(1)
        expect(document.requestId, `EMF document of order ${document.order}`).toBe(
          requestIdOf.get(Number(document.order)),
        )
      }
      // (no ColdStart metric: Powertools counts it only for on-demand initialisation)
      expect(records.filter((record) => 'ColdStart' in record)).toEqual([])

      // ...and X-Ray receives nothing under another invocation's trace id: tracing() said once why it is off.
      // A handler subsegment is known by the response it records, the HTTP call's by its parent.
      const documents = await daemon.flush()
      const orderOf = new Map<string, number>()
      for (const document of documents) {
        const response = document.metadata?.['lamina-test']?.['index.handler response'] as { order: number } | undefined
        if (response !== undefined) orderOf.set(document.id, response.order)
      }
      const misattributed = documents.filter((document) => {
        const order = orderOf.get(document.id) ?? orderOf.get(document.parent_id)
        return order === undefined || document.trace_id !== traceIdOf.get(order)
      })
      expect(misattributed).toEqual([])
      expect(runtime.lines.filter((line) => line.includes('X-Ray tracing is off'))).toHaveLength(1)
    },
    2 * minutes,
  )

  it(
    'reports a failed init through POST /runtime/init/error',
    async () => {
      // Prepare
      const taskRoot = await bundle('failing-init.ts')
      api = await startRuntimeApi()
      runtime = startRuntime(taskRoot, api)
      let initError: Awaited<RuntimeApi['initError']>
      try {
        // Act
        initError = await runtime.unlessExited(api.initError)
      } finally {
        await runtime.stop()
        await api.close()
      }

      // Assess
      expect(initError.body).toMatchObject({
        errorType: 'Error',
        errorMessage: 'ORDERS_TABLE is not set: set it to the orders table name in the function configuration.',
      })
      expect(initError.headers['lambda-runtime-function-error-type']).toBe('Error')
    },
    2 * minutes,
  )
})
