// A warm-up ping through the full stack (warmup first, then the timeout guard, the error mapper and
// observability) writes nothing: no log line, no EMF document, no subsegment, all read from the
// real Powertools outputs. A real event through the same chain writes all three.
import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { observability } from '@lamina/observability'
import {
  type CapturedOutput,
  captureOutput,
  createContext,
  events,
  traceHeader,
  type XRayDaemon,
} from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { warmup } from '@lamina/warmup'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type PowertoolsEnvironment, startPowertoolsEnvironment } from '../support/powertools.js'

let environment: PowertoolsEnvironment
let daemon: XRayDaemon
let output: CapturedOutput

beforeAll(async () => {
  environment = await startPowertoolsEnvironment({
    POWERTOOLS_METRICS_NAMESPACE: 'lamina-warmup',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  })
  daemon = environment.daemon
})

beforeEach(() => {
  daemon.documents.length = 0
  process.env._X_AMZN_TRACE_ID = traceHeader()
  output = captureOutput()
})

afterEach(() => output.restore())

afterAll(() => environment.stop())

function stack() {
  return wrap<unknown>()
    .use(warmup())
    .use(timeoutGuard({ marginMs: 100 }))
    .use(errorMapper())
    .use(observability({ logger: { logEvent: true }, metrics: { invocations: true } }))
    .handler(async (_event, context) => {
      context.logger.info('order placed')
      return { statusCode: 201 }
    })
}

const metricDocuments = () => output.records().filter((line) => line._aws !== undefined)

describe('warmup() → timeoutGuard → errorMapper → observability', () => {
  it('a ping (serverless-plugin-warmup, lambda-warmer) writes no line, no metric and no subsegment', async () => {
    // Prepare
    const handler = stack()

    // Act
    const answers = [
      await handler({ source: 'serverless-plugin-warmup' }, createContext()),
      await handler({ warmer: true, concurrency: 2 }, createContext()),
    ]
    const segments = await daemon.flush()

    // Assess
    expect(answers).toEqual(['warmup', 'warmup'])
    expect(output.lines).toEqual([])
    expect(segments).toEqual([])
  })

  it('a real event through the same chain: the event line, the handler line, the EMF document, a subsegment', async () => {
    // Prepare
    const handler = stack()
    const context = createContext()

    // Act
    const response = await handler(events.apiGatewayV2(), context)
    const segments = await daemon.waitFor(1)

    // Assess
    expect(response).toEqual({ statusCode: 201 })
    const lines = output.records().filter((line) => line.function_request_id === context.awsRequestId)
    expect(lines.map((line) => line.message)).toEqual(['Lambda invocation event', 'order placed'])
    expect(metricDocuments()).toContainEqual(expect.objectContaining({ Invocations: 1, Errors: 0 }))
    expect(segments).toHaveLength(1)
  })

  it('a ping between two real events writes nothing; the second event logs and counts as the first did', async () => {
    // Prepare
    const handler = stack()
    await handler(events.apiGatewayV2(), createContext())
    const linesAfterFirst = output.lines.length

    // Act
    await handler({ source: 'serverless-plugin-warmup' }, createContext())
    const linesAfterPing = output.lines.length
    const context = createContext()
    await handler(events.apiGatewayV2(), context)

    // Assess
    expect(linesAfterPing).toBe(linesAfterFirst)
    const second = output.records().filter((line) => line.function_request_id === context.awsRequestId)
    expect(second.map((line) => line.message)).toEqual(['Lambda invocation event', 'order placed'])
    expect(metricDocuments().filter((document) => document.Invocations === 1)).toHaveLength(2)
  })
})
