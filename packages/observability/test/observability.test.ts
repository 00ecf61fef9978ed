import { Logger } from '@aws-lambda-powertools/logger'
import { wrap } from '@lamina/core'
import { MetricUnit } from '@lamina/metrics'
import { observability } from '@lamina/observability'
import {
  type CapturedOutput,
  captureOutput,
  createContext,
  events,
  traceHeader,
  type XRayDaemon,
} from '@lamina/testing'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type PowertoolsEnvironment, startPowertoolsEnvironment } from '../../../test/support/powertools.js'

let environment: PowertoolsEnvironment
let daemon: XRayDaemon
let output: CapturedOutput

beforeAll(async () => {
  environment = await startPowertoolsEnvironment({ POWERTOOLS_METRICS_NAMESPACE: 'lamina-tests' })
  daemon = environment.daemon
})

beforeEach(() => {
  daemon.documents.length = 0
  process.env._X_AMZN_TRACE_ID = traceHeader()
  output = captureOutput()
})

afterEach(() => output.restore())

afterAll(() => environment.stop())

describe('observability()', () => {
  it('returns tracing, logging and metrics, outermost first', () => {
    expect(observability().map((middleware) => middleware.name)).toEqual(['tracing', 'logging', 'metrics'])
  })

  it('logs, counts and traces one invocation, with the handler using context.logger and context.metrics', async () => {
    // Prepare
    const handler = wrap<ReturnType<typeof events.apiGatewayV2>>()
      .use(observability())
      .handler(async (_event, context) => {
        context.logger.info('order placed')
        context.metrics.addMetric('OrdersPlaced', MetricUnit.Count, 1)
        return { statusCode: 201 }
      })

    // Act
    await handler(events.apiGatewayV2({ requestId: 'req-obs' }), createContext({ functionName: 'orders' }))

    // Assess
    const records = output.records()
    expect(records.find((line) => line.message === 'order placed')).toMatchObject({ correlation_id: 'req-obs' })
    expect(records.find((line) => 'OrdersPlaced' in line)).toMatchObject({ Errors: 0, function_name: 'orders' })
    const [segment] = await daemon.waitFor(1)
    expect(segment).toMatchObject({ name: '## index.handler', annotations: { ColdStart: true } })
  })

  it('passes each part its own options', async () => {
    // Prepare
    const logger = new Logger({ serviceName: 'given-service' })
    const handler = wrap(async () => 'ok').use(
      observability({
        logger: { logger, logEvent: true },
        metrics: { namespace: 'given-namespace', invocations: true, timeouts: false },
        tracer: { enabled: false },
      }),
    )

    // Act
    await handler({ hello: 'world' }, createContext())

    // Assess
    const records = output.records()
    expect(records.find((line) => line.message === 'Lambda invocation event')).toMatchObject({
      service: 'given-service',
      event: { hello: 'world' },
    })
    const document = records.find((line) => 'Errors' in line)
    expect(document?._aws.CloudWatchMetrics[0].Namespace).toBe('given-namespace')
    expect(document).toMatchObject({ Invocations: 1 })
    expect(document).not.toHaveProperty('Timeouts')
    expect(await daemon.flush()).toHaveLength(0)
  })
})
