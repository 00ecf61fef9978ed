// The reference stack: timeoutGuard() first, errorMapper() next, then observability() (tracing,
// logging, metrics), then the handler. What a user sees on each path: the response, the log
// lines, the EMF document and the X-Ray subsegment, all captured from the real outputs.
import { randomUUID } from 'node:crypto'
import { forgetSecret, registerSecret, wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { errorMessage } from '@lamina/logger'
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
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { type PowertoolsEnvironment, startPowertoolsEnvironment } from '../support/powertools.js'

let environment: PowertoolsEnvironment
let daemon: XRayDaemon
let output: CapturedOutput

beforeAll(async () => {
  environment = await startPowertoolsEnvironment({ POWERTOOLS_METRICS_NAMESPACE: 'lamina-stack' })
  daemon = environment.daemon
})

beforeEach(() => {
  daemon.documents.length = 0
  process.env._X_AMZN_TRACE_ID = traceHeader()
  output = captureOutput()
})

afterEach(() => {
  output.restore()
  vi.useRealTimers()
})

afterAll(() => environment.stop())

function stack(handler: (event: any) => Promise<unknown>) {
  return wrap(handler)
    .use(timeoutGuard({ marginMs: 100 }))
    .use(errorMapper())
    .use(observability())
}

const errorLines = () => output.records().filter((line) => line.message === errorMessage)
const emf = () => output.records().filter((line) => line._aws !== undefined && 'Errors' in line)

describe('timeoutGuard → errorMapper → observability → handler', () => {
  it('on a failure: a 500 without internals, one error line with them, Errors 1, a faulted subsegment', async () => {
    // Prepare
    const handler = stack(async () => {
      throw new Error('connection to 10.0.0.7:5432 refused')
    })
    const context = createContext()

    // Act
    const response = (await handler(events.apiGatewayV2(), context)) as { statusCode: number; body: string }

    // Assess
    expect(response.statusCode).toBe(500)
    expect(response.body).not.toContain('10.0.0.7')
    expect(JSON.parse(response.body).requestId).toBe(context.awsRequestId)
    expect(errorLines()).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        error: expect.objectContaining({ message: expect.stringContaining('10.0.0.7') }),
      }),
    ])
    expect(emf()).toEqual([expect.objectContaining({ Errors: 1, Timeouts: 0 })])
    const [segment] = await daemon.waitFor(1)
    expect(segment).toMatchObject({ fault: true })
  })

  it('on a timeout: a 504, the TimeoutError logged, Timeouts 1, the subsegment closed before the kill', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const handler = stack(() => new Promise(() => {}))

    // Act
    const pending = handler(events.apiGatewayV2(), createContext({ timeoutMs: 1000 }))
    await vi.advanceTimersByTimeAsync(1000)
    const response = (await pending) as { statusCode: number }
    vi.useRealTimers()

    // Assess
    expect(response.statusCode).toBe(504)
    expect(errorLines()).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ name: 'TimeoutError' }) }),
    ])
    expect(emf()).toEqual([expect.objectContaining({ Errors: 1, Timeouts: 1 })])
    const [segment] = await daemon.waitFor(1)
    expect(segment?.cause.exceptions[0]).toMatchObject({ type: 'TimeoutError' })
    expect(segment?.in_progress).toBeUndefined()
  })

  it('when the deadline is already inside the margin at the start: a 504, the error line and Timeouts 1', async () => {
    // Prepare: 50 ms left, less than the guard's 100 ms margin, so the guard fails in its own
    // before, ahead of observability's. A warm container: an earlier invocation ran first.
    const handler = stack(async () => ({ statusCode: 200 }))
    await handler(events.apiGatewayV2(), createContext())
    await daemon.waitFor(1)
    daemon.documents.length = 0
    output.lines.length = 0
    const context = createContext({ timeoutMs: 50 })

    // Act
    const response = (await handler(events.apiGatewayV2({ requestId: 'late' }), context)) as { statusCode: number }

    // Assess: this invocation's keys on the line, not the previous one's.
    expect(response.statusCode).toBe(504)
    expect(errorLines()).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        function_request_id: context.awsRequestId,
        correlation_id: 'late',
        error: expect.objectContaining({ name: 'TimeoutError' }),
      }),
    ])
    expect(emf()).toEqual([expect.objectContaining({ Errors: 1, Timeouts: 1, function_name: context.functionName })])
  })

  it('for a queue: rethrows so Lambda retries, after logging, counting and tracing once', async () => {
    // Prepare
    const handler = stack(async () => {
      throw new Error('poison message')
    })

    // Act
    await expect(handler(events.sqs([{ id: 1 }]), createContext())).rejects.toThrow('poison message')

    // Assess
    expect(errorLines()).toHaveLength(1)
    expect(emf()).toEqual([expect.objectContaining({ Errors: 1 })])
    expect(await daemon.waitFor(1)).toHaveLength(1)
  })

  it('never lets a registered secret into a log line or the response', async () => {
    // Prepare
    const secret = `db-password-${randomUUID()}`
    registerSecret(secret)
    const handler = wrap<ReturnType<typeof events.apiGatewayV2>>()
      .use(timeoutGuard())
      .use(errorMapper())
      .use(observability({ logger: { logEvent: true } }))
      .handler(async (_event, context) => {
        context.logger.info('connecting', { password: secret })
        throw new Error(`login failed for password ${secret}`)
      })

    // Act
    const response = await handler(events.apiGatewayV2({ headers: { 'x-db-password': secret } }), createContext())
    forgetSecret(secret)

    // Assess
    expect(JSON.stringify(response)).not.toContain(secret)
    expect(output.records().length).toBeGreaterThanOrEqual(4)
    expect(output.text()).not.toContain(secret)
  })
})
