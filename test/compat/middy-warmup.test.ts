// The real @middy/warmup (7.x) through wrap(): a ping is answered "warmup" before the Powertools
// middlewares after it run (no line, no EMF document, no subsegment), exactly as under @middy/core,
// and a real event goes through. Its own option (isWarmingUp) works unchanged.
import type { Logger } from '@aws-lambda-powertools/logger'
import type { Metrics } from '@aws-lambda-powertools/metrics'
import type { Tracer } from '@aws-lambda-powertools/tracer'
import { wrap } from '@lamina/core'
import { observability } from '@lamina/observability'
import { captureOutput, createContext, traceHeader, type XRayDaemon } from '@lamina/testing'
import middy from '@middy/core'
import middyWarmup from '@middy/warmup'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  loadPowertools,
  type Powertools,
  type PowertoolsEnvironment,
  startPowertoolsEnvironment,
  withoutClock,
} from '../support/powertools.js'

let powertools: Powertools
let environment: PowertoolsEnvironment
let daemon: XRayDaemon

beforeAll(async () => {
  environment = await startPowertoolsEnvironment({
    POWERTOOLS_METRICS_NAMESPACE: 'lamina-compat',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  })
  daemon = environment.daemon
  powertools = await loadPowertools()
})

beforeEach(() => {
  daemon.documents.length = 0
  process.env._X_AMZN_TRACE_ID = traceHeader()
})

afterAll(() => environment.stop())

interface Tools {
  logger: Logger
  metrics: Metrics
  tracer: Tracer
}

const tools = (): Tools => ({
  logger: new powertools.Logger(),
  metrics: new powertools.Metrics(),
  tracer: new powertools.Tracer(),
})

/** @middy/warmup first, then Powertools' own Middy middlewares, then the handler. */
function chainOf(own: Tools) {
  const { injectLambdaContext, logMetrics, captureLambdaHandler, MetricUnit } = powertools
  const middlewares = [
    middyWarmup(),
    captureLambdaHandler(own.tracer),
    injectLambdaContext(own.logger, { logEvent: true }),
    logMetrics(own.metrics),
  ]
  const handler = async (event: { order: number }) => {
    own.logger.info('computing', { order: event.order })
    own.metrics.addMetric('Computed', MetricUnit.Count, 1)
    return { statusCode: 200, body: String(event.order) }
  }
  return { middlewares, handler }
}

const ping = { source: 'serverless-plugin-warmup' }

async function observe(handler: (event: never, context: never) => Promise<unknown>) {
  daemon.documents.length = 0
  const output = captureOutput()
  const results: unknown[] = []
  let linesAfterPing: number
  try {
    results.push(await handler(ping as never, createContext({ awsRequestId: 'req-ping' }) as never))
    linesAfterPing = output.lines.length
    results.push(await handler({ order: 2 } as never, createContext({ awsRequestId: 'req-2' }) as never))
  } finally {
    output.restore()
  }
  const segments = await daemon.waitFor(1)
  return {
    results,
    linesAfterPing,
    lines: output.records().map(withoutClock),
    segments: segments.map(({ name, fault }) => ({ name, fault })),
  }
}

describe('@middy/warmup through wrap()', () => {
  it('answers a ping before Powertools writes anything, and passes a real event, as under @middy/core', async () => {
    // Prepare
    const middyChain = chainOf(tools())
    const laminaChain = chainOf(tools())
    const viaMiddy = middy(middyChain.handler).use(middyChain.middlewares as never)
    const viaLamina = wrap(laminaChain.handler).use(laminaChain.middlewares)

    // Act
    const middyRun = await observe(viaMiddy as never)
    const laminaRun = await observe(viaLamina as never)

    // Assess: the same, and what it is.
    expect(laminaRun).toEqual(middyRun)
    expect(laminaRun.results).toEqual(['warmup', { statusCode: 200, body: '2' }])
    expect(laminaRun.linesAfterPing).toBe(0)
    expect(laminaRun.lines.every((line) => line.function_request_id !== 'req-ping')).toBe(true)
    expect(laminaRun.lines.filter((line) => line.message === 'computing')).toHaveLength(1)
    expect(laminaRun.lines.filter((line) => line._aws !== undefined && 'Computed' in line)).toHaveLength(1)
    expect(laminaRun.segments).toHaveLength(1)
  })

  it('in front of observability(): a ping writes nothing there either', async () => {
    // Prepare
    const handler = wrap<unknown>()
      .use(middyWarmup())
      .use(observability({ logger: { logEvent: true } }))
      .handler(async () => ({ statusCode: 200 }))
    const output = captureOutput()

    // Act
    let answer: unknown
    try {
      answer = await handler(ping, createContext())
    } finally {
      output.restore()
    }
    const segments = await daemon.flush()

    // Assess
    expect(answer).toBe('warmup')
    expect(output.lines).toEqual([])
    expect(segments).toEqual([])
  })

  it('its isWarmingUp option decides, as in Middy', async () => {
    // Prepare
    const handler = wrap(async () => 'handled').use(middyWarmup({ isWarmingUp: (event: any) => event.warm === 'yes' }))

    // Act
    const answers = [await handler({ warm: 'yes' }, createContext()), await handler(ping, createContext())]

    // Assess
    expect(answers).toEqual(['warmup', 'handled'])
  })
})
