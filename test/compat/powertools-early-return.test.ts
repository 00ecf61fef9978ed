// Powertools' Middy middlewares register cleanup functions in request.internal; a middleware
// that answers early calls Powertools' cleanupMiddlewares(request) so logs, metrics and the trace
// are still flushed. That path, with throwOnEmptyMetrics and resetKeys on, must write the same
// lines, the same EMF documents (each exactly once) and the same subsegments under wrap() as
// under @middy/core, and leave nothing behind for the next invocation.
import { cleanupMiddlewares } from '@aws-lambda-powertools/commons'
import type { Logger } from '@aws-lambda-powertools/logger'
import type { Metrics } from '@aws-lambda-powertools/metrics'
import type { Tracer } from '@aws-lambda-powertools/tracer'
import { wrap } from '@lamina/core'
import { captureOutput, createContext, traceHeader, type XRayDaemon } from '@lamina/testing'
import middy from '@middy/core'
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
  process.env._X_AMZN_TRACE_ID = traceHeader()
})

afterAll(() => environment.stop())

interface Tools {
  logger: Logger
  metrics: Metrics
  tracer: Tracer
}

/** The Powertools trio, then a cache that answers early for `{ cached: true }` events. */
function middlewares(tools: Tools) {
  const { injectLambdaContext, logMetrics, captureLambdaHandler, MetricUnit } = powertools
  const cache = {
    before: async (request: { event: { cached?: boolean }; internal: Record<string, unknown> }) => {
      if (!request.event.cached) return undefined
      tools.logger.appendKeys({ cache: 'hit' })
      tools.logger.info('served from cache')
      tools.metrics.addMetric('CacheHit', MetricUnit.Count, 1)
      await cleanupMiddlewares(request as never)
      return { statusCode: 200, body: 'cached' }
    },
  }
  return [
    captureLambdaHandler(tools.tracer),
    injectLambdaContext(tools.logger, { resetKeys: true }),
    logMetrics(tools.metrics, { throwOnEmptyMetrics: true, captureColdStartMetric: true }),
    cache,
  ]
}

function tools(): Tools {
  return { logger: new powertools.Logger(), metrics: new powertools.Metrics(), tracer: new powertools.Tracer() }
}

function handlerBody(own: Tools) {
  return async (event: { cached?: boolean; order: number }) => {
    own.logger.info('computing', { order: event.order })
    own.metrics.addMetric('Computed', powertools.MetricUnit.Count, 1)
    return { statusCode: 200, body: String(event.order) }
  }
}

const events = [
  { cached: true, order: 1 },
  { cached: false, order: 2 },
]

async function observe(run: () => Promise<unknown[]>) {
  daemon.documents.length = 0
  const output = captureOutput()
  let results: unknown[]
  try {
    results = await run()
  } finally {
    output.restore()
  }
  const segments = (await daemon.waitFor(events.length)).map(({ name, annotations, metadata, fault, error }) => ({
    name,
    annotations,
    metadata,
    fault,
    error,
  }))
  const nonJson = output.lines.filter((line) => line.trim() !== '' && !line.startsWith('{'))
  return { results, lines: output.records().map(withoutClock), nonJson, segments }
}

async function invokeAll(handler: (event: never, context: never) => Promise<unknown>) {
  const results: unknown[] = []
  for (const event of events) {
    results.push(
      await handler(structuredClone(event) as never, createContext({ awsRequestId: `req-${event.order}` }) as never),
    )
  }
  return results
}

describe('Powertools cleanupMiddlewares on early return: wrap() and @middy/core', () => {
  it('write the same lines, metrics (each once) and subsegments, and reset the logger keys', async () => {
    // Prepare
    const middyTools = tools()
    const laminaTools = tools()
    const viaMiddy = middy(handlerBody(middyTools)).use(middlewares(middyTools) as never)
    const viaLamina = wrap(handlerBody(laminaTools)).use(middlewares(laminaTools))

    // Act
    const middyRun = await observe(() => invokeAll(viaMiddy as never))
    const laminaRun = await observe(() => invokeAll(viaLamina as never))

    // Assess: the same, and what it is.
    expect(laminaRun).toEqual(middyRun)
    expect(middyRun.results).toEqual([
      { statusCode: 200, body: 'cached' },
      { statusCode: 200, body: '2' },
    ])
    expect(middyRun.nonJson).toEqual([])
    const emf = middyRun.lines.filter((line) => line._aws !== undefined)
    expect(
      emf.map((line) => Object.keys(line).find((key) => ['CacheHit', 'Computed', 'ColdStart'].includes(key))),
    ).toEqual(['ColdStart', 'CacheHit', 'Computed'])
    const computing = middyRun.lines.find((line) => line.message === 'computing')
    expect(computing).toMatchObject({ function_request_id: 'req-2', cold_start: false })
    expect(computing).not.toHaveProperty('cache')
    expect(middyRun.segments).toHaveLength(2)
    expect(middyRun.segments[0]).toMatchObject({ name: '## index.handler', annotations: { ColdStart: true } })
  })
})
