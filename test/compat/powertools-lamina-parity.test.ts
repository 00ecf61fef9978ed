// Lamina's observability() is a drop-in for the Powertools trio on Middy: the handler's log line
// carries the same Powertools keys, the ColdStart EMF document is the same, and the handler
// subsegment has the same name and annotations. Lamina adds (and only adds) the correlation id
// and the per-invocation metrics.
import type { Logger } from '@aws-lambda-powertools/logger'
import type { Metrics } from '@aws-lambda-powertools/metrics'
import { wrap } from '@lamina/core'
import { observability } from '@lamina/observability'
import { captureOutput, createContext, events, traceHeader, type XRayDaemon } from '@lamina/testing'
import middy from '@middy/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  loadPowertools,
  type PowertoolsEnvironment,
  startPowertoolsEnvironment,
  withoutClock,
} from '../support/powertools.js'

let environment: PowertoolsEnvironment
let daemon: XRayDaemon

beforeAll(async () => {
  environment = await startPowertoolsEnvironment({
    POWERTOOLS_METRICS_NAMESPACE: 'lamina-parity',
    // One trace for both runs, so xray_trace_id compares equal.
    _X_AMZN_TRACE_ID: traceHeader(),
  })
  daemon = environment.daemon
})

afterAll(() => environment.stop())

async function observe(run: () => Promise<unknown>) {
  daemon.documents.length = 0
  const output = captureOutput()
  try {
    await run()
  } finally {
    output.restore()
  }
  const [segment] = await daemon.waitFor(1)
  return { lines: output.records().map(withoutClock), segment }
}

describe('observability() on wrap() against the Powertools middlewares on @middy/core', () => {
  it('writes the same Powertools fields, ColdStart document and subsegment, plus its own', async () => {
    // Prepare
    const { Logger, injectLambdaContext, Metrics, logMetrics, Tracer, captureLambdaHandler } = await loadPowertools()
    const body = (logger: Logger) => async () => {
      logger.info('handled')
      return { statusCode: 200 }
    }
    const middyLogger = new Logger()
    const middyMetrics: Metrics = new Metrics()
    const viaMiddy = middy(body(middyLogger)).use([
      captureLambdaHandler(new Tracer()),
      injectLambdaContext(middyLogger),
      logMetrics(middyMetrics, { captureColdStartMetric: true }),
    ])
    const laminaLogger = new Logger()
    const viaLamina = wrap(body(laminaLogger)).use(observability({ logger: { logger: laminaLogger } }))
    const event = events.apiGatewayV2({ requestId: 'req-parity' })
    const context = createContext({ awsRequestId: 'c0ffee00-0000-4000-8000-000000000002' })

    // Act
    const middyRun = await observe(() => viaMiddy(structuredClone(event), context))
    const laminaRun = await observe(() => viaLamina(structuredClone(event), context))

    // Assess
    const handled = (run: typeof middyRun) => run.lines.find((line) => line.message === 'handled')
    expect(handled(laminaRun)).toEqual({ ...handled(middyRun), correlation_id: 'req-parity' })
    const coldStart = (run: typeof middyRun) => run.lines.find((line) => 'ColdStart' in line)
    expect(coldStart(laminaRun)).toEqual(coldStart(middyRun))
    expect(laminaRun.lines.find((line) => 'Errors' in line)).toMatchObject({ Errors: 0, Timeouts: 0 })
    const shape = ({ name, annotations, metadata }: Record<string, any>) => ({ name, annotations, metadata })
    expect(shape(laminaRun.segment as object)).toEqual(shape(middyRun.segment as object))
  })
})
