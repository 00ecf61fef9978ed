// What observability costs per invocation: Lamina's observability() (tracing, logging, metrics)
// on wrap(), Powertools' own Middy middlewares (captureLambdaHandler, injectLambdaContext with
// resetKeys, logMetrics with captureColdStartMetric) on @middy/core, and the very Powertools calls
// Lamina makes, written by hand around the handler: the floor. Same process, same event, same
// context, same handler body (one log line, one metric). Every line and EMF document is really
// built (JSON.stringify and all); only the final write goes to a no-op while measuring.
//
// Two scenarios, each in a child process (the X-Ray SDK reads the environment when imported):
// tracing off (POWERTOOLS_TRACE_ENABLED=false) and tracing on (Lambda mode; subsegments go over
// UDP to a local socket). Then import-time figures for @lamina/tracer with tracing off and on.
//
// Run: npx tsx bench/observability.bench.ts
import { execFileSync } from 'node:child_process'
import dgram from 'node:dgram'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createContext, events, setLambdaEnvironment } from '@lamina/testing'
import { Bench } from 'tinybench'
import { printTable } from './support/table.js'

const here = fileURLToPath(import.meta.url)
const root = fileURLToPath(new URL('..', import.meta.url))
const batch = 50

type Handler = (event: any, context: any) => Promise<unknown>
// CPU time of this process, in ms: on a shared, loaded machine wall time mostly measures the
// other tenants; CPU time measures the work (GC threads included).
const cpuNow = () => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

async function runScenario(tracingOn: boolean): Promise<void> {
  const sink = dgram.createSocket('udp4')
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve))
  sink.on('message', () => {})
  setLambdaEnvironment({
    POWERTOOLS_DEV: undefined,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_METRICS_NAMESPACE: 'lamina-bench',
    POWERTOOLS_TRACE_ENABLED: tracingOn ? 'true' : 'false',
    LAMBDA_TASK_ROOT: '/var/task',
    _HANDLER: 'index.handler',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(sink.address() as AddressInfo).port}`,
  })
  const [{ Logger }, { injectLambdaContext }, { Metrics, MetricUnit }, { logMetrics }, { Tracer }, tracerMiddy] =
    await Promise.all([
      import('@aws-lambda-powertools/logger'),
      import('@aws-lambda-powertools/logger/middleware'),
      import('@aws-lambda-powertools/metrics'),
      import('@aws-lambda-powertools/metrics/middleware'),
      import('@aws-lambda-powertools/tracer'),
      import('@aws-lambda-powertools/tracer/middleware'),
    ])
  const { wrap } = await import('@lamina/core')
  const { observability } = await import('@lamina/observability')
  const { default: middy } = await import('@middy/core')

  type Tools = {
    logger: InstanceType<typeof Logger>
    metrics: InstanceType<typeof Metrics>
    tracer: InstanceType<typeof Tracer>
  }
  const tools = (): Tools => ({ logger: new Logger(), metrics: new Metrics(), tracer: new Tracer() })
  const response = { statusCode: 201, body: '{"orderId":7}' }
  const body = (own: Tools) => async (_event: unknown) => {
    own.logger.info('order placed', { orderId: 7 })
    own.metrics.addMetric('OrdersPlaced', MetricUnit.Count, 1)
    return response
  }

  // The floor: what observability() does, as plain calls around the handler.
  function byHand(own: Tools): Handler {
    const handler = body(own)
    const { logger, metrics, tracer } = own
    return async (event, context) => {
      const parent = tracingOn ? tracer.getSegment() : undefined
      const subsegment = parent?.addNewSubsegment('## index.handler')
      if (subsegment) {
        tracer.setSegment(subsegment)
        tracer.annotateColdStart()
        tracer.addServiceNameAnnotation()
      }
      logger.refreshSampleRateCalculation()
      logger.addContext(context)
      logger.appendKeys({ correlation_id: event.requestContext.requestId })
      metrics.captureColdStartMetric(context.functionName)
      let error: unknown
      try {
        const result = await handler(event)
        if (subsegment) tracer.addResponseAsMetadata(result, process.env._HANDLER)
        return result
      } catch (thrown) {
        error = thrown
        logger.error({ message: 'Invocation failed', error: thrown as Error })
        if (subsegment) tracer.addErrorAsMetadata(thrown as Error)
        throw thrown
      } finally {
        metrics.addMetric('Errors', MetricUnit.Count, error === undefined ? 0 : 1)
        metrics.addMetric('Timeouts', MetricUnit.Count, 0)
        metrics.addDimension('function_name', context.functionName)
        metrics.publishStoredMetrics()
        logger.clearBuffer()
        logger.resetKeys()
        if (subsegment && parent) {
          subsegment.close()
          tracer.setSegment(parent)
        }
      }
    }
  }

  function lamina(own: Tools): Handler {
    return wrap(body(own)).use(
      observability({
        logger: { logger: own.logger },
        metrics: { metrics: own.metrics },
        tracer: tracingOn ? { tracer: own.tracer } : {},
      }),
    ) as Handler
  }

  function withMiddy(own: Tools): Handler {
    return middy(body(own)).use([
      tracerMiddy.captureLambdaHandler(own.tracer),
      injectLambdaContext(own.logger, { resetKeys: true }),
      logMetrics(own.metrics, { captureColdStartMetric: true }),
    ]) as unknown as Handler
  }

  const event = events.apiGatewayV2({ body: { order: 7 }, requestId: 'bench-request' })
  const context = createContext({ timeoutMs: 15 * 60_000, functionName: 'orders' })
  const variants: [string, Handler][] = [
    ['by hand (floor)', byHand(tools())],
    ['lamina observability()', lamina(tools())],
    ['middy + Powertools middlewares', withMiddy(tools())],
  ]

  const { stdout, stderr } = process
  const writes = [stdout.write, stderr.write]
  const silence = () => {
    stdout.write = (() => true) as typeof stdout.write
    stderr.write = (() => true) as typeof stderr.write
  }
  const restore = () => {
    stdout.write = writes[0] as typeof stdout.write
    stderr.write = writes[1] as typeof stderr.write
  }

  const rounds: Map<string, number>[] = []
  silence()
  try {
    // Seven rounds, medians reported: the machine is shared and noisy.
    for (let round = 0; round < 7; round++) {
      const bench = new Bench({ name: 'observability', time: 700, warmupTime: 200, now: cpuNow })
      // A different order each round: no variant always runs first (warm caches) or last (old heap).
      const order = variants.map((_, index) => variants[(index + round) % variants.length] as [string, Handler])
      for (const [name, handler] of order) {
        bench.add(name, async () => {
          for (let i = 0; i < batch; i++) await handler(event, context)
          // Let the X-Ray SDK's UDP sends go out, as Lambda's event loop would between invocations;
          // a tight await loop would otherwise queue them all until the end of the run.
          await new Promise((resolve) => setImmediate(resolve))
        })
      }
      await bench.run()
      const ns = new Map<string, number>()
      for (const task of bench.tasks) {
        if (task.result.state !== 'completed') throw new Error(`bench task "${task.name}" ended ${task.result.state}`)
        ns.set(task.name, (task.result.latency.mean * 1e6) / batch)
      }
      rounds.push(ns)
    }
  } finally {
    restore()
  }
  const ns = new Map(variants.map(([name]) => [name, median(rounds.map((round) => round.get(name) as number))]))
  const floor = ns.get('by hand (floor)') as number
  const viaMiddy = ns.get('middy + Powertools middlewares') as number
  printTable(
    `observability, tracing ${tracingOn ? 'on' : 'off'}: ns per invocation (CPU time, median of 7 rounds, batches of ${batch}, node ${process.version})`,
    [...ns].map(([name, value]) => ({
      task: name,
      'ns/op': value.toFixed(0),
      'x by hand': (value / floor).toFixed(3),
      'x middy': (value / viaMiddy).toFixed(3),
    })),
  )
  sink.close()
}

/** Time to import the tracer package and finish loading what it needs, in a fresh process each run. */
function measureImportTimes(): void {
  const runs = 9
  const tracerEntry = `${root}packages/tracer/dist/index.js`
  const probe = (code: string, env: Record<string, string>) => {
    const times: number[] = []
    for (let run = 0; run < runs; run++) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { PATH: process.env.PATH ?? '', AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR', ...env },
      })
      times.push(Number(out.toString().trim()))
    }
    return median(times)
  }
  const laminaTracer = `
    const started = performance.now()
    const { tracing } = await import(${JSON.stringify(tracerEntry)})
    const middleware = tracing()
    await middleware.before({ event: {}, context: { functionName: 'f' } })
    process.stdout.write(String(performance.now() - started))`
  const powertoolsTracer = `
    const started = performance.now()
    const { Tracer } = await import('@aws-lambda-powertools/tracer')
    new Tracer()
    process.stdout.write(String(performance.now() - started))`
  const lambda = {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    LAMBDA_TASK_ROOT: '/var/task',
    _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0',
  }
  const nothing = `
    const started = performance.now()
    await import('data:text/javascript,export default 1')
    process.stdout.write(String(performance.now() - started))`
  const rows = [
    ['an empty module (baseline)', probe(nothing, {})],
    ['@lamina/tracer, tracing off (outside Lambda)', probe(laminaTracer, {})],
    [
      '@lamina/tracer, POWERTOOLS_TRACE_ENABLED=false',
      probe(laminaTracer, { ...lambda, POWERTOOLS_TRACE_ENABLED: 'false' }),
    ],
    ['@lamina/tracer, tracing on (loads Powertools Tracer + X-Ray SDK)', probe(laminaTracer, lambda)],
    ['@aws-lambda-powertools/tracer imported directly, tracing off', probe(powertoolsTracer, {})],
  ] as const
  printTable(
    `tracer import + init, ms (median of ${runs} fresh processes; packages/tracer/dist, node ${process.version})`,
    rows.map(([name, ms]) => ({ case: name, ms: ms.toFixed(1) })),
  )
  console.log(
    `\nX-Ray SDK not loaded when tracing is off: ${(rows[4][1] - rows[1][1]).toFixed(1)} ms saved vs importing Powertools' Tracer`,
  )
}

const scenario = process.env.LAMINA_BENCH_SCENARIO
if (scenario === undefined) {
  for (const name of ['tracing-off', 'tracing-on']) {
    execFileSync(process.execPath, ['--import', 'tsx', here], {
      stdio: 'inherit',
      cwd: root,
      env: { ...process.env, LAMINA_BENCH_SCENARIO: name },
    })
  }
  execFileSync('npx', ['tsup'], { cwd: `${root}packages/tracer`, stdio: 'ignore' })
  measureImportTimes()
} else {
  await runScenario(scenario === 'tracing-on')
}
