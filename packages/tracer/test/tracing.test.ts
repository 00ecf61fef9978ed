import type { Tracer } from '@aws-lambda-powertools/tracer'
import { armTimeout, type Middleware, wrap } from '@lamina/core'
import {
  createContext,
  newTraceId,
  setLambdaEnvironment,
  startXRayDaemon,
  traceHeader,
  type XRayDaemon,
} from '@lamina/testing'
import { tracing } from '@lamina/tracer'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'

let daemon: XRayDaemon
let restoreEnvironment: () => void

beforeAll(async () => {
  daemon = await startXRayDaemon()
  // The X-Ray SDK reads these when it is first imported, which tracing() does on demand.
  restoreEnvironment = setLambdaEnvironment({
    ...daemon.environment,
    POWERTOOLS_TRACE_ENABLED: undefined,
    POWERTOOLS_TRACER_CAPTURE_RESPONSE: undefined,
    POWERTOOLS_TRACER_CAPTURE_ERROR: undefined,
  })
})

let traceId: string

beforeEach(() => {
  daemon.documents.length = 0
  // A trace of its own per test, as each Lambda invocation has.
  traceId = newTraceId()
  process.env._X_AMZN_TRACE_ID = traceHeader(traceId)
})

afterAll(() => {
  vi.useRealTimers()
  restoreEnvironment()
  daemon.close()
})

const failing = (message: string) => async () => {
  throw new Error(message)
}

describe('tracing: the handler subsegment', () => {
  it('opens one subsegment per invocation with ColdStart, Service and the response, and closes it', async () => {
    // Prepare
    const handler = wrap(async () => ({ statusCode: 200, body: 'ok' })).use(tracing())

    // Act
    await handler({}, createContext())
    await handler({}, createContext())

    // Assess
    const [first, second, ...rest] = await daemon.waitFor(2)
    expect(rest).toHaveLength(0)
    expect(first).toMatchObject({
      name: '## index.handler',
      type: 'subsegment',
      trace_id: traceId,
      annotations: { ColdStart: true, Service: 'lamina-test' },
      metadata: { 'lamina-test': { 'index.handler response': { statusCode: 200, body: 'ok' } } },
    })
    expect(first?.end_time).toBeGreaterThanOrEqual(first?.start_time)
    expect(second?.annotations).toMatchObject({ ColdStart: false })
  })

  it('records the error with its message on the subsegment and rethrows it', async () => {
    // Prepare
    const handler = wrap(failing('ledger unavailable')).use(tracing({ serviceName: 'ledger' }))

    // Act
    await expect(handler({}, createContext())).rejects.toThrow('ledger unavailable')

    // Assess
    const [document] = await daemon.waitFor(1)
    expect(document).toMatchObject({ fault: true, annotations: { Service: 'ledger' } })
    expect(document?.cause.exceptions[0]).toMatchObject({ message: 'ledger unavailable', type: 'Error' })
    expect(document).not.toHaveProperty('metadata')
  })

  it('only flags the error with captureError: false, and records no response with captureResponse: false', async () => {
    // Prepare
    const quietError = wrap(failing('secret detail')).use(tracing({ captureError: false }))
    const quietResponse = wrap(async () => 'private').use(tracing({ captureResponse: false }))

    // Act
    await expect(quietError({}, createContext())).rejects.toThrow()
    await quietResponse({}, createContext())

    // Assess
    const [error, response] = await daemon.waitFor(2)
    expect(error).toMatchObject({ error: true })
    expect(JSON.stringify(error)).not.toContain('secret detail')
    expect(response).not.toHaveProperty('metadata')
  })

  it('closes the subsegment when a later middleware answers early', async () => {
    // Prepare
    const handler = wrap(async () => 'handler')
      .use(tracing())
      .use({ before: () => 'early' })

    // Act
    const response = await handler({}, createContext())

    // Assess
    expect(response).toBe('early')
    const documents = await daemon.waitFor(1)
    expect(documents).toHaveLength(1)
    expect(documents[0]?.in_progress).toBeUndefined()
  })

  it('closes the subsegment on a timeout, with the timeout recorded', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const guard: Middleware = {
      before: (request) => {
        armTimeout(request, 100)
      },
    }
    const handler = wrap(() => new Promise(() => {}))
      .use(guard)
      .use(tracing())

    // Act
    const settled = handler({}, createContext({ timeoutMs: 1000 })).catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(1000)
    const error = await settled
    vi.useRealTimers()

    // Assess
    expect(error).toMatchObject({ name: 'TimeoutError' })
    const [document] = await daemon.waitFor(1)
    expect(document?.cause.exceptions[0]).toMatchObject({ type: 'TimeoutError' })
  })

  it('makes the subsegment current for the handler, so its own annotations land in it', async () => {
    // Prepare
    const { Tracer } = await import('@aws-lambda-powertools/tracer')
    const tracer: Tracer = new Tracer()
    const handler = wrap(async () => {
      tracer.putAnnotation('orderId', 'o-1')
    }).use(tracing({ tracer, subsegmentName: 'orders' }))

    // Act
    await handler({}, createContext())

    // Assess
    const [document] = await daemon.waitFor(1)
    expect(document).toMatchObject({ name: 'orders', annotations: { orderId: 'o-1', ColdStart: true } })
  })

  it('records nothing with enabled: false', async () => {
    // Prepare
    const handler = wrap(async () => 'ok').use(tracing({ enabled: false }))

    // Act
    await handler({}, createContext())

    // Assess
    expect(await daemon.flush()).toHaveLength(0)
  })

  it('stays out of the way when the given Tracer is off or there is no segment to trace under', async () => {
    // Prepare
    const { Tracer } = await import('@aws-lambda-powertools/tracer')
    const off = wrap(failing('still thrown')).use(tracing({ tracer: new Tracer({ enabled: false }), enabled: true }))
    const noSegment = wrap(async () => 'ok').use(tracing())
    const traceHeader = process.env._X_AMZN_TRACE_ID
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})

    // Act
    await expect(off({}, createContext())).rejects.toThrow('still thrown')
    delete process.env._X_AMZN_TRACE_ID
    const response = await noSegment({}, createContext()).finally(() => {
      process.env._X_AMZN_TRACE_ID = traceHeader
      warn.mockRestore()
    })

    // Assess
    expect(response).toBe('ok')
    expect(await daemon.flush()).toHaveLength(0)
  })

  it('names the subsegment after the function when _HANDLER is not set', async () => {
    // Prepare
    const handlerVariable = process.env._HANDLER
    delete process.env._HANDLER
    const handler = wrap(async () => undefined).use(tracing({ enabled: true }))

    // Act
    await handler({}, createContext({ functionName: 'fn-name' })).finally(() => {
      process.env._HANDLER = handlerVariable
    })

    // Assess
    const [document] = await daemon.waitFor(1)
    expect(document?.name).toBe('## fn-name')
  })
})
