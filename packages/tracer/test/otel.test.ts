import { armTimeout, type Middleware, wrap } from '@lamina/core'
import { createContext, httpEvents, newTraceId, setLambdaEnvironment, traceHeader } from '@lamina/testing'
import { otelHooks, tracing } from '@lamina/tracer'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../../../test/support/otlp-receiver.js'

let receiver: OtlpReceiver
let restoreEnvironment: () => void
let traceId: string

beforeAll(async () => {
  receiver = await startOtlpReceiver()
  restoreEnvironment = setLambdaEnvironment({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_SERVICE_NAME: undefined,
    POWERTOOLS_TRACE_ENABLED: undefined,
    LAMINA_TRACING: undefined,
  })
})

beforeEach(() => {
  receiver.spans.length = 0
  traceId = newTraceId()
  process.env._X_AMZN_TRACE_ID = traceHeader(traceId)
})

afterAll(async () => {
  restoreEnvironment()
  await receiver.close()
})

/** The X-Ray trace id `1-xxxxxxxx-yyyy…` as OpenTelemetry spells it: 32 hex digits. */
const otelTraceId = (xrayTraceId: string) => xrayTraceId.slice(2).replace('-', '')
const lambdaSegmentId = '53995c3f42cd8ad8'
const byName = (spans: ReceivedSpan[], name: string) => spans.filter((span) => span.name === name)

describe("tracing({ mode: 'otel' }): the handler span", () => {
  it('continues Lambda’s trace with one server span carrying the FaaS attributes, exported before the answer', async () => {
    // Prepare
    const handler = wrap(async () => ({ statusCode: 201, body: 'ok' })).use(tracing({ mode: 'otel' }))

    // Act
    const response = await handler(httpEvents.apiGatewayV2({ method: 'POST', path: '/orders' }), createContext())

    // Assess: exported already, when the invocation answered.
    expect(response).toEqual({ statusCode: 201, body: 'ok' })
    expect(receiver.spans).toHaveLength(1)
    const [span] = receiver.spans as [ReceivedSpan]
    expect(span).toMatchObject({
      traceId: otelTraceId(traceId),
      parentSpanId: lambdaSegmentId,
      name: 'lamina-test',
      kind: 2,
      status: { code: 0 },
    })
    expect(span.attributes).toMatchObject({
      'faas.trigger': 'http',
      'faas.coldstart': true,
      'cloud.account.id': '123456789012',
      'http.request.method': 'POST',
      'http.response.status_code': 201,
    })
    expect(span.attributes['faas.invocation_id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(span.resource).toMatchObject({ 'service.name': 'lamina-test', 'cloud.platform': 'aws_lambda' })
  })
})

describe("tracing({ mode: 'otel' }): the span's name and what a bare context gives", () => {
  it('names the span by spanName, else the context’s function name, else AWS_LAMBDA_FUNCTION_NAME, else handler', async () => {
    // Prepare: contexts as some tools pass them, without a deadline or names.
    const named = wrap(async () => 'ok').use(tracing({ mode: 'otel', spanName: 'orders' }))
    const plain = wrap(async () => 'ok').use(tracing({ mode: 'otel' }))
    const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME

    // Act
    await named({}, createContext())
    await plain({}, { functionName: 'from-context' } as never)
    await plain({}, {} as never)
    delete process.env.AWS_LAMBDA_FUNCTION_NAME
    await plain({}, undefined as never).finally(() => {
      process.env.AWS_LAMBDA_FUNCTION_NAME = functionName
    })

    // Assess
    expect(receiver.spans.map((span) => span.name)).toEqual(['orders', 'from-context', 'lamina-test', 'handler'])
  })

  it('records no status for an HTTP answer that has none (a plain body)', async () => {
    // Prepare
    const handler = wrap(async () => 'plain body').use(tracing({ mode: 'otel' }))

    // Act
    await handler(httpEvents.functionUrl({ method: 'GET', path: '/' }), createContext())

    // Assess
    expect(receiver.spans[0]?.attributes).not.toHaveProperty('http.response.status_code')
    expect(receiver.spans[0]?.status.code).toBe(0)
  })
})

describe("tracing({ mode: 'otel' }): every path ends and exports the span once", () => {
  it('records the error with its message and stack, and rethrows it', async () => {
    // Prepare
    const handler = wrap(async () => {
      throw new Error('ledger unavailable')
    }).use(tracing({ mode: 'otel' }))

    // Act
    await expect(handler({}, createContext())).rejects.toThrow('ledger unavailable')

    // Assess
    const [span] = receiver.spans as [ReceivedSpan]
    expect(receiver.spans).toHaveLength(1)
    expect(span.status).toEqual({ code: 2, message: 'ledger unavailable' })
    expect(span.events).toEqual([
      {
        name: 'exception',
        attributes: expect.objectContaining({ 'exception.type': 'Error', 'exception.message': 'ledger unavailable' }),
      },
    ])
    expect(span.events[0]?.attributes['exception.stacktrace']).toContain('ledger unavailable')
    expect(span.attributes).toMatchObject({ 'faas.trigger': 'other', 'faas.coldstart': false })
  })

  it('only flags the error with captureError: false, and records a thrown non-Error by its text', async () => {
    // Prepare
    const quiet = wrap(async () => {
      throw new Error('secret detail')
    }).use(tracing({ mode: 'otel', captureError: false }))
    const stringly = wrap(async () => {
      throw 'plain text'
    }).use(tracing({ mode: 'otel' }))

    // Act
    await expect(quiet({}, createContext())).rejects.toThrow()
    await expect(stringly({}, createContext())).rejects.toBe('plain text')

    // Assess
    const [flagged, text] = receiver.spans as [ReceivedSpan, ReceivedSpan]
    expect(flagged.status).toEqual({ code: 2 })
    expect(JSON.stringify([flagged.status, flagged.events, flagged.attributes])).not.toContain('secret detail')
    expect(text.status).toEqual({ code: 2, message: 'plain text' })
  })

  it('ends the span when a later middleware answers early', async () => {
    // Prepare
    const handler = wrap(async () => 'handler')
      .use(tracing({ mode: 'otel' }))
      .use({ name: 'cache', before: () => 'early' })

    // Act
    const response = await handler({}, createContext())

    // Assess
    expect(response).toBe('early')
    expect(receiver.spans).toHaveLength(1)
    expect(receiver.spans[0]?.endNanos).toBeGreaterThanOrEqual(receiver.spans[0]?.startNanos as bigint)
  })

  it('ends and exports the span on a timeout, with the TimeoutError recorded, before the invocation answers', async () => {
    // Prepare
    const guard: Middleware = {
      before: (request) => {
        armTimeout(request, 100)
      },
    }
    const handler = wrap(() => new Promise(() => {}))
      .use(guard)
      .use(tracing({ mode: 'otel' }))

    // Act
    const error = await handler({}, createContext({ timeoutMs: 400 })).catch((thrown: unknown) => thrown)

    // Assess
    expect(error).toMatchObject({ name: 'TimeoutError' })
    expect(receiver.spans).toHaveLength(1)
    expect(receiver.spans[0]?.status.code).toBe(2)
    expect(receiver.spans[0]?.events[0]?.attributes['exception.type']).toBe('TimeoutError')
  })

  it('keeps the error’s message when an outer error mapper answers it with a 500', async () => {
    // Prepare
    const mapper: Middleware = {
      name: 'errorMapper',
      onError: (request) => {
        request.response = { statusCode: 500 }
      },
    }
    const handler = wrap(async () => {
      throw new Error('ledger unavailable')
    })
      .use(mapper)
      .use(tracing({ mode: 'otel' }))

    // Act
    const response = await handler(httpEvents.apiGatewayV2({ method: 'POST', path: '/orders' }), createContext())

    // Assess
    expect(response).toEqual({ statusCode: 500 })
    expect(receiver.spans[0]?.status).toEqual({ code: 2, message: 'ledger unavailable' })
    expect(receiver.spans[0]?.attributes['http.response.status_code']).toBe(500)
  })

  it('records a 5xx answer as an error (without an error thrown) and a 4xx as not', async () => {
    // Prepare
    const handler = wrap(async (event: { rawPath: string }) => ({
      statusCode: event.rawPath === '/missing' ? 404 : 503,
    })).use(tracing({ mode: 'otel' }))

    // Act
    await handler(httpEvents.apiGatewayV2({ method: 'GET', path: '/busy' }), createContext())
    await handler(httpEvents.apiGatewayV2({ method: 'GET', path: '/missing' }), createContext())

    // Assess
    expect(receiver.spans.map((span) => [span.attributes['http.response.status_code'], span.status.code])).toEqual([
      [503, 2],
      [404, 0],
    ])
  })

  it('records the status an error mapper answered with, and the route', async () => {
    // Prepare
    const mapper: Middleware = {
      name: 'errorMapper',
      onError: (request) => {
        request.response = { statusCode: (request.error as { statusCode?: number }).statusCode ?? 500 }
      },
    }
    const handler = wrap(async (event: { rawPath: string }) => {
      throw Object.assign(new Error('nope'), { statusCode: event.rawPath === '/missing' ? 404 : 500 })
    })
      .use(mapper)
      .use(tracing({ mode: 'otel', captureError: false }))
    const v1 = httpEvents.apiGatewayV1({ method: 'GET', path: '/missing' })

    // Act
    await handler(httpEvents.apiGatewayV2({ method: 'GET', path: '/broken' }), createContext())
    await handler(
      { ...httpEvents.apiGatewayV2({ method: 'GET', path: '/missing' }), routeKey: 'GET /{id}' } as never,
      createContext(),
    )
    await handler(v1 as never, createContext())

    // Assess
    const [broken, missing, viaV1] = receiver.spans as [ReceivedSpan, ReceivedSpan, ReceivedSpan]
    expect(broken.attributes).toMatchObject({ 'http.response.status_code': 500, 'http.route': '/broken' })
    expect(broken.status.code).toBe(2)
    expect(missing.attributes).toMatchObject({ 'http.response.status_code': 404, 'http.route': '/{id}' })
    expect(viaV1.attributes).toMatchObject({ 'http.request.method': 'GET' })
  })
})

describe("tracing({ mode: 'otel' }): the handler's own spans and the middlewares' steps", () => {
  it('gives the handler context.tracer, whose spans are children of the invocation’s', async () => {
    // Prepare
    const handler = wrap<{ orderId: string }>()
      .use(tracing({ mode: 'otel' }))
      .handler(async (event, context) => {
        await context.tracer.startActiveSpan('load order', async (span) => {
          span.setAttribute('order.id', event.orderId)
          await new Promise((resolve) => setImmediate(resolve))
          context.tracer.startSpan('read row').end()
          span.end()
        })
        return 'ok'
      })

    // Act
    await handler({ orderId: 'o-1' }, createContext())

    // Assess
    const [invocation] = byName(receiver.spans, 'lamina-test')
    const [load] = byName(receiver.spans, 'load order')
    const [row] = byName(receiver.spans, 'read row')
    expect(load).toMatchObject({ parentSpanId: invocation?.spanId, traceId: otelTraceId(traceId) })
    expect(load?.attributes['order.id']).toBe('o-1')
    expect(row?.parentSpanId).toBe(load?.spanId)
  })

  it('adds a child span per middleware step and for the handler with otelHooks()', async () => {
    // Prepare
    const validator: Middleware = { name: 'validator', before: async () => {} }
    const logger: Middleware = { name: 'logger', before: () => {}, after: () => {}, cleanup: () => {} }
    const handler = wrap(async () => 'ok', { hooks: otelHooks() })
      .use(tracing({ mode: 'otel' }))
      .use(logger)
      .use(validator)

    // Act
    await handler({}, createContext())

    // Assess
    const [invocation] = byName(receiver.spans, 'lamina-test')
    const children = receiver.spans.filter((span) => span.parentSpanId === invocation?.spanId)
    expect(children.map((span) => span.name).sort()).toEqual(
      ['handler', 'logger.after', 'logger.before', 'logger.cleanup', 'validator.before'].sort(),
    )
    expect(receiver.spans).toHaveLength(6)
    expect(byName(children, 'validator.before')[0]?.attributes).toEqual({
      'lamina.middleware': 'validator',
      'lamina.phase': 'before',
    })
  })

  it('ends the handler step in error when the handler throws', async () => {
    // Prepare
    const handler = wrap(
      async () => {
        throw new Error('boom')
      },
      { hooks: otelHooks() },
    ).use(tracing({ mode: 'otel' }))

    // Act
    await expect(handler({}, createContext())).rejects.toThrow('boom')

    // Assess
    const [step] = byName(receiver.spans, 'handler')
    expect(step?.status.code).toBe(2)
    expect(receiver.spans).toHaveLength(2)
  })

  it('adds nothing for steps outside the invocation span (before tracing() or without it)', async () => {
    // Prepare
    const outer: Middleware = { name: 'outer', before: () => {} }
    const traced = wrap(async () => 'ok', { hooks: otelHooks() })
      .use(outer)
      .use(tracing({ mode: 'otel' }))
    const untraced = wrap(async () => 'ok', { hooks: otelHooks() }).use(outer)

    // Act
    await traced({}, createContext())
    await untraced({}, createContext())

    // Assess
    expect(receiver.spans.map((span) => span.name).sort()).toEqual(['handler', 'lamina-test'])
  })
})

describe("tracing({ mode: 'otel' }): overlapping invocations (Lambda Managed Instances)", () => {
  it('keeps 100 overlapping invocations’ spans each under its own trace and its own handler span', async () => {
    // Prepare: every invocation waits until all have started, as in a Managed Instances process.
    const { InvokeStore, InvokeStoreBase } = await import('@aws/lambda-invoke-store')
    const store = await InvokeStore.getInstanceAsync(true)
    const count = 100
    let started = 0
    let release = () => {}
    const everyoneIn = new Promise<void>((resolve) => {
      release = resolve
    })
    const handler = wrap<{ order: number }>({ hooks: otelHooks() })
      .use(tracing({ mode: 'otel' }))
      .handler(async (event, context) => {
        if (++started === count) release()
        await everyoneIn
        await context.tracer.startActiveSpan('work', async (span) => {
          span.setAttribute('order', event.order)
          await new Promise((resolve) => setImmediate(resolve))
          span.end()
        })
        return event.order
      })
    const invocations = Array.from({ length: count }, (_, order) => ({ order, traceId: newTraceId() }))
    const previousHeader = process.env._X_AMZN_TRACE_ID
    delete process.env._X_AMZN_TRACE_ID

    // Act: each in the runtime's invoke store, with its own trace header there, as aws-lambda-ric 4 runs them.
    const answers = await Promise.all(
      invocations.map(({ order, traceId: id }) =>
        store.run(
          {
            [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: `request-${order}`,
            [InvokeStoreBase.PROTECTED_KEYS.X_RAY_TRACE_ID]: traceHeader(id),
          },
          () => handler({ order }, createContext({ awsRequestId: `request-${order}` })),
        ),
      ),
    ).finally(() => {
      process.env._X_AMZN_TRACE_ID = previousHeader
    })

    // Assess: three spans per invocation (handler span, handler step, work), each in its own trace.
    expect(answers).toEqual(invocations.map(({ order }) => order))
    const spans = await receiver.waitFor(3 * count)
    expect(spans).toHaveLength(3 * count)
    for (const { order, traceId: id } of invocations) {
      const trace = spans.filter((span) => span.traceId === otelTraceId(id))
      const root = trace.find((span) => span.name === 'lamina-test')
      expect(root?.attributes['faas.invocation_id'], `invocation ${order}`).toBe(`request-${order}`)
      expect(root?.parentSpanId).toBe(lambdaSegmentId)
      const children = trace.filter((span) => span.parentSpanId === root?.spanId)
      expect(children.map((span) => span.name).sort(), `invocation ${order}`).toEqual(['handler', 'work'])
      expect(trace.find((span) => span.name === 'work')?.attributes.order).toBe(order)
    }
  })
})

describe("tracing({ mode: 'otel' }): OpenTelemetry's API sees each invocation's context", () => {
  it('registers the context manager globally: context.with and context.bind run in the context given', async () => {
    // Prepare: the mode has loaded in this process by now.
    const { context, trace } = await import('@opentelemetry/api')
    const handler = wrap(async () => {
      const active = context.active()
      const bound = context.bind(context.active(), () => trace.getSpan(context.active()))
      const outside = context.with(trace.deleteSpan(active), () => trace.getSpan(context.active()))
      const unchanged = context.bind(active, 'not a function')
      return new Promise((resolve) =>
        // A callback bound to the invocation's context keeps it even from a flow outside it.
        setImmediate(() => resolve({ bound: bound()?.spanContext().spanId, outside, unchanged })),
      )
    }).use(tracing({ mode: 'otel' }))

    // Act
    const answer = await handler({}, createContext())

    // Assess
    expect(answer).toEqual({ bound: receiver.spans[0]?.spanId, outside: undefined, unchanged: 'not a function' })
  })
})

describe("tracing({ mode: 'otel' }): where the trace comes from", () => {
  it('continues the runtime’s W3C traceparent from the invoke store when there is no X-Ray header', async () => {
    // Prepare
    const { InvokeStore, InvokeStoreBase } = await import('@aws/lambda-invoke-store')
    const store = await InvokeStore.getInstanceAsync(true)
    const handler = wrap(async () => 'ok').use(tracing({ mode: 'otel' }))
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
    const previousHeader = process.env._X_AMZN_TRACE_ID
    delete process.env._X_AMZN_TRACE_ID

    // Act
    await store
      .run({ [InvokeStoreBase.PROTECTED_KEYS.TRACEPARENT]: traceparent }, () => handler({}, createContext()))
      .finally(() => {
        process.env._X_AMZN_TRACE_ID = previousHeader
      })

    // Assess
    expect(receiver.spans[0]).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentSpanId: 'b7ad6b7169203331',
    })
  })

  it('starts a trace of its own, with an X-Ray-compatible trace id, when there is no header at all', async () => {
    // Prepare
    const handler = wrap(async () => 'ok').use(tracing({ mode: 'otel' }))
    const previousHeader = process.env._X_AMZN_TRACE_ID
    process.env._X_AMZN_TRACE_ID = 'Root=not-a-trace-id'

    // Act
    await handler({}, createContext()).finally(() => {
      process.env._X_AMZN_TRACE_ID = previousHeader
    })

    // Assess: X-Ray's ids begin with the epoch seconds the trace started at.
    const [span] = receiver.spans as [ReceivedSpan]
    expect(span.parentSpanId).toBe('')
    const startedAt = Number.parseInt(span.traceId.slice(0, 8), 16)
    expect(Math.abs(startedAt - Date.now() / 1000)).toBeLessThan(600)
  })

  it('records nothing for an invocation Lambda did not sample (Sampled=0)', async () => {
    // Prepare
    const handler = wrap(async () => 'ok').use(tracing({ mode: 'otel' }))
    process.env._X_AMZN_TRACE_ID = `Root=${traceId};Parent=${lambdaSegmentId};Sampled=0`
    const sampled = wrap(async () => 'ok').use(tracing({ mode: 'otel' }))

    // Act
    await handler({}, createContext())
    process.env._X_AMZN_TRACE_ID = traceHeader(traceId)
    await sampled({}, createContext())

    // Assess: only the sampled one, which also proves the first flush had nothing to send.
    expect(receiver.spans).toHaveLength(1)
  })
})

describe("tracing({ mode: 'otel' }): a collector that refuses", () => {
  it('still answers, and says once per process what to check', async () => {
    // Prepare
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const handler = wrap(async () => 'answered').use(tracing({ mode: 'otel' }))
    receiver.failWith(400)

    // Act
    const first = await handler({}, createContext())
    const second = await handler({}, createContext()).finally(() => receiver.failWith(undefined))

    // Assess
    expect([first, second]).toEqual(['answered', 'answered'])
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toContain('OTEL_EXPORTER_OTLP_ENDPOINT')
    warn.mockRestore()
  })
})
