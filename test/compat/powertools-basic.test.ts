// Powertools' Middy middlewares (injectLambdaContext, logMetrics, captureLambdaHandler), unchanged,
// write the same log lines, the same EMF metrics and the same X-Ray subsegments under wrap() as
// under @middy/core, and end with the same outcome, on every path. Outputs are the real ones:
// stdout/stderr lines parsed as JSON, and X-Ray documents received over UDP on 127.0.0.1.
import { captureOutput, createContext, type XRayDaemon } from '@lamina/testing'
import warmup from '@middy/warmup'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  loadPowertools,
  type Powertools,
  type PowertoolsEnvironment,
  startPowertoolsEnvironment,
  withoutClock,
} from '../support/powertools.js'
import { type CompatMiddleware, type DifferentialCase, type Outcome, runLamina, runMiddy } from './differential.js'

let powertools: Powertools
let environment: PowertoolsEnvironment
let xrayDaemon: XRayDaemon

beforeAll(async () => {
  environment = await startPowertoolsEnvironment({
    POWERTOOLS_METRICS_NAMESPACE: 'lamina-compat',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  })
  xrayDaemon = environment.daemon
  powertools = await loadPowertools()
})

afterAll(() => environment.stop())

interface Observed {
  outcome: Outcome
  trace: string[]
  lines: unknown[]
  segments: unknown[]
}

function normaliseSegment(segment: Record<string, any>): unknown {
  const { name, annotations, metadata, fault, error, type, cause } = segment
  const exceptions = cause?.exceptions?.map((exception: Record<string, unknown>) => ({
    message: exception.message,
    type: exception.type,
  }))
  return { name, annotations, metadata, fault, error, type, exceptions }
}

// Powertools' own warnings (e.g. "No application metrics to publish") are plain text, not JSON.
function parseLine(line: string): unknown {
  try {
    return withoutClock(JSON.parse(line))
  } catch {
    return { text: line }
  }
}

async function observe(run: () => Promise<{ outcome: Outcome; trace: string[] }>): Promise<Observed> {
  xrayDaemon.documents.length = 0
  const output = captureOutput()
  let result: { outcome: Outcome; trace: string[] }
  try {
    result = await run()
  } finally {
    output.restore()
  }
  // Every subsegment the X-Ray SDK queued during the run has arrived before comparing.
  const segments = await xrayDaemon.flush()
  const lines = output.lines.filter((line) => line.trim() !== '').map(parseLine)
  return { ...result, lines, segments: segments.map((segment) => normaliseSegment(segment)) }
}

/** Runs the case through both engines, each with its own Powertools instances and outputs. */
async function compare<TEvent>(testCase: DifferentialCase<TEvent>) {
  const middy = await observe(() => runMiddy(testCase))
  const lamina = await observe(() => runLamina(testCase))
  return { middy, lamina }
}

/** Fresh Logger, Metrics and Tracer per engine: each keeps cold-start state of its own. */
function observability(trace: string[], extra: CompatMiddleware[] = []) {
  const { Logger, Metrics, Tracer, injectLambdaContext, logMetrics, captureLambdaHandler } = powertools
  const tools = { logger: new Logger(), metrics: new Metrics(), tracer: new Tracer() }
  trace.push('instances created')
  const middlewares: CompatMiddleware[] = [
    captureLambdaHandler(tools.tracer),
    injectLambdaContext(tools.logger, { logEvent: true }),
    logMetrics(tools.metrics, { captureColdStartMetric: true }),
    ...extra,
  ]
  return { tools, middlewares }
}

// Each case builds its tools in `middlewares` and hands them to its handler through this map.
const toolsOf = new WeakMap<string[], ReturnType<typeof observability>['tools']>()

function caseWith(options: {
  extra?: (trace: string[]) => CompatMiddleware[]
  /** The handler throws a new Error with this message (a fresh object per engine: X-Ray remembers errors it saw). */
  fail?: string
  event?: unknown
}): DifferentialCase<unknown> {
  return {
    middlewares: (trace) => {
      const { tools, middlewares } = observability(trace, options.extra?.(trace))
      toolsOf.set(trace, tools)
      return middlewares
    },
    handler: (trace) => async (event) => {
      const tools = toolsOf.get(trace)!
      trace.push('handler')
      tools.logger.info('placing order', { orderId: 7 })
      tools.metrics.addMetric('ordersPlaced', powertools.MetricUnit.Count, 1)
      tools.tracer.putAnnotation('orderId', '7')
      if (options.fail) throw new Error(options.fail)
      return { statusCode: 201, body: JSON.stringify({ received: event }) }
    },
    event: () => structuredClone(options.event ?? { orderId: 7 }),
    context: () => createContext({ awsRequestId: 'c0ffee00-0000-4000-8000-000000000001' }),
  }
}

const throwsIn = (phase: 'before' | 'after' | 'onError', message: string) => (): CompatMiddleware[] => [
  {
    [phase]: () => {
      throw new Error(message)
    },
  },
]

describe('Powertools middlewares under wrap() and @middy/core', () => {
  it('write the same logs, metrics and trace for a successful invocation', async () => {
    const { middy, lamina } = await compare(caseWith({}))

    expect(middy.outcome).toMatchObject({ resolved: { statusCode: 201 } })
    expect(middy.lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: 'placing order', cold_start: true, orderId: 7 }),
        expect.objectContaining({ ordersPlaced: 1 }),
        expect.objectContaining({ ColdStart: 1 }),
      ]),
    )
    expect(middy.segments).toEqual([expect.objectContaining({ name: '## index.handler', type: 'subsegment' })])
    expect(lamina).toEqual(middy)
  })

  it('write the same output and rethrow the same error when the handler fails', async () => {
    const { middy, lamina } = await compare(caseWith({ fail: 'payment declined' }))

    expect(middy.outcome).toMatchObject({ rejected: { message: 'payment declined' } })
    expect(middy.segments).toEqual([expect.objectContaining({ fault: true })])
    expect(lamina).toEqual(middy)
  })

  it('behave the same when a before hook after them fails', async () => {
    const { middy, lamina } = await compare(caseWith({ extra: throwsIn('before', 'auth store unreachable') }))

    expect(middy.trace).not.toContain('handler')
    expect(middy.outcome).toMatchObject({ rejected: { message: 'auth store unreachable' } })
    expect(lamina).toEqual(middy)
  })

  it('behave the same when an after hook fails', async () => {
    const { middy, lamina } = await compare(caseWith({ extra: throwsIn('after', 'response serialiser failed') }))

    expect(middy.outcome).toMatchObject({ rejected: { message: 'response serialiser failed' } })
    expect(lamina).toEqual(middy)
  })

  // A documented divergence (core README, rule 4): Middy skips the remaining onError hooks after one
  // throws, so its Powertools middlewares publish no metrics and send no segment; Lamina runs them.
  it('reject the same way when an onError hook throws; Lamina still runs the other onError hooks (divergence)', async () => {
    const { middy, lamina } = await compare(
      caseWith({ fail: 'payment declined', extra: throwsIn('onError', 'error reporter down') }),
    )

    expect(middy.outcome).toMatchObject({
      rejected: { message: 'error reporter down', cause: { message: 'payment declined' } },
    })
    expect(lamina.outcome).toEqual(middy.outcome)
    expect(lamina.lines).toEqual(expect.arrayContaining(middy.lines as unknown[]))
    expect(middy.segments).toEqual([])
    expect(lamina.lines).toEqual(expect.arrayContaining([expect.objectContaining({ ordersPlaced: 1 })]))
    expect(lamina.segments).toEqual([
      expect.objectContaining({ exceptions: [expect.objectContaining({ message: 'error reporter down' })] }),
    ])
  })

  it('publish nothing twice when a later middleware answers early (warmup)', async () => {
    const { middy, lamina } = await compare(
      caseWith({ extra: () => [warmup()], event: { source: 'serverless-plugin-warmup' } }),
    )

    expect(middy.outcome).toEqual({ resolved: 'warmup' })
    expect(middy.trace).not.toContain('handler')
    expect(lamina).toEqual(middy)
  })
})
