import { createRequire } from 'node:module'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { armTimeout, lifecycleHooks, type Middleware, TimeoutError, wrap } from '@lamina/core'
import { errorMapper, NotFound } from '@lamina/errors'
import { MetricUnit, metrics } from '@lamina/metrics'
import { type CapturedOutput, captureOutput, createContext, events, setLambdaEnvironment } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { ValidationError } from '@lamina/validator'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

let restoreEnvironment: () => void
let output: CapturedOutput

beforeEach(() => {
  restoreEnvironment = setLambdaEnvironment({
    POWERTOOLS_METRICS_NAMESPACE: 'lamina-tests',
    POWERTOOLS_DEV: undefined,
    POWERTOOLS_METRICS_DISABLED: undefined,
  })
  output = captureOutput()
})

afterEach(() => {
  output.restore()
  restoreEnvironment()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

/** The EMF documents written, minus the ColdStart one. */
const documents = () => output.records().filter((record) => record._aws !== undefined && !('ColdStart' in record))
const coldStarts = () => output.records().filter((record) => 'ColdStart' in record)
const metricNames = (document: Record<string, any>) =>
  document._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => metric.Name).sort()

const context = () => createContext({ functionName: 'orders-fn' })

describe('metrics: what one invocation publishes', () => {
  it('publishes the handler’s metrics with Errors and Timeouts in one EMF document, by default nothing more', async () => {
    // Prepare
    const handler = wrap<unknown>()
      .use(metrics())
      .handler(async (_event, context) => {
        context.metrics.addMetric('OrdersPlaced', MetricUnit.Count, 2)
        return 'ok'
      })

    // Act
    await handler({}, context())

    // Assess: Invocations and Duration are Lambda's own AWS/Lambda metrics, free; opt-in here.
    const [document, ...rest] = documents()
    expect(rest).toHaveLength(0)
    expect(document).toMatchObject({
      service: 'lamina-test',
      function_name: 'orders-fn',
      OrdersPlaced: 2,
      Errors: 0,
      Timeouts: 0,
      _aws: { CloudWatchMetrics: [{ Namespace: 'lamina-tests', Dimensions: [['service', 'function_name']] }] },
    })
    expect(metricNames(document as object)).toEqual(['Errors', 'OrdersPlaced', 'Timeouts'])
    expect(coldStarts()).toHaveLength(1)
  })

  it('adds Invocations and Duration when asked, Duration within the time the test measured around the call', async () => {
    // Prepare
    const handler = wrap(async () => 'ok').use(metrics({ invocations: true, duration: true }))

    // Act
    const started = performance.now()
    await handler({}, context())
    const elapsed = performance.now() - started

    // Assess: rounding to hundredths adds at most 0.005 ms.
    const [document] = documents()
    expect(document).toMatchObject({ Invocations: 1, Errors: 0, Timeouts: 0 })
    expect(document?.Duration).toBeGreaterThanOrEqual(0)
    expect(document?.Duration).toBeLessThanOrEqual(elapsed + 0.005)
    expect(document?._aws.CloudWatchMetrics[0].Metrics).toContainEqual({ Name: 'Duration', Unit: 'Milliseconds' })
  })

  it('measures Duration from before to cleanup, rounded to hundredths of a millisecond', async () => {
    // Prepare: a controlled clock; the handler takes 18.308737 ms of it.
    vi.useFakeTimers({ toFake: ['performance'] })
    const handler = wrap(async () => {
      vi.advanceTimersByTime(18.308737)
    }).use(metrics({ duration: true }))

    // Act
    await handler({}, context())

    // Assess
    expect(documents()[0]?.Duration).toBe(18.31)
  })

  it('writes ColdStart once per container, with the function name and service', async () => {
    // Prepare
    const handler = wrap(async () => 'ok').use(metrics())

    // Act
    await handler({}, context())
    await handler({}, context())

    // Assess
    expect(coldStarts()).toEqual([
      expect.objectContaining({ ColdStart: 1, function_name: 'orders-fn', service: 'lamina-test' }),
    ])
    expect(documents()).toHaveLength(2)
  })

  it('leaves the function_name dimension to you with functionNameDimension: false', async () => {
    // Prepare
    const handler = wrap(async () => 'ok').use(metrics({ functionNameDimension: false, namespace: 'custom' }))

    // Act
    await handler({}, context())

    // Assess
    expect(documents()[0]?._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'custom', Dimensions: [['service']] })
  })

  it('leaves function_name out when the context has no function name', async () => {
    // Prepare
    const handler = wrap(async () => 'ok').use(metrics())

    // Act
    await handler({}, createContext({ functionName: '' }))

    // Assess
    expect(documents()).toEqual([expect.not.objectContaining({ function_name: expect.anything() })])
    expect(documents()[0]?._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']])
  })

  it('publishes through a Metrics you give it, with your default dimensions', async () => {
    // Prepare
    const instance = new Metrics({ serviceName: 'billing', defaultDimensions: { stage: 'prod' } })
    let seen: unknown
    const handler = wrap<unknown>()
      .use(metrics({ metrics: instance }))
      .handler(async (_event, context) => {
        seen = context.metrics
      })

    // Act
    await handler({}, context())

    // Assess
    expect(seen).toBe(instance)
    expect(documents()[0]).toMatchObject({ service: 'billing', stage: 'prod', Errors: 0 })
  })

  it('sets the options it creates a Metrics with', async () => {
    // Prepare
    const handler = wrap(async () => 'ok').use(metrics({ serviceName: 'svc', defaultDimensions: { team: 'a' } }))

    // Act
    await handler({}, context())

    // Assess
    expect(documents()[0]).toMatchObject({ service: 'svc', team: 'a' })
  })

  it('rejects a metrics option that is not a Powertools Metrics', () => {
    expect(() => metrics({ metrics: {} as Metrics })).toThrow(/@aws-lambda-powertools\/metrics/)
  })

  it('takes a Metrics from another copy of Powertools (its CommonJS build beside the ESM one)', async () => {
    // Prepare: the CommonJS build's class is not the ESM build's, as with two installed copies
    const commonJs = createRequire(import.meta.url)('@aws-lambda-powertools/metrics') as { Metrics: typeof Metrics }
    expect(commonJs.Metrics).not.toBe(Metrics)
    const instance = new commonJs.Metrics({ serviceName: 'other-copy' })
    const handler = wrap(async () => 'ok').use(metrics({ metrics: instance }))

    // Act
    await handler({}, context())

    // Assess
    expect(documents()[0]).toMatchObject({ service: 'other-copy', Errors: 0, Timeouts: 0 })
  })

  it('counts a TimeoutError from another copy of core as a timeout', async () => {
    // Prepare: what another copy's TimeoutError looks like from here (same name and status)
    const foreignTimeout = Object.assign(new Error('Invocation timed out'), { name: 'TimeoutError', statusCode: 504 })
    expect(foreignTimeout).not.toBeInstanceOf(TimeoutError)
    const handler = wrap(async () => {
      throw foreignTimeout
    }).use(metrics())

    // Act
    await expect(handler({}, context())).rejects.toBe(foreignTimeout)

    // Assess
    expect(documents()[0]).toMatchObject({ Errors: 1, Timeouts: 1 })
  })
})

describe('metrics: nothing of one invocation survives into the next', () => {
  const hostileStatus = () =>
    Object.defineProperty(new Error('hostile'), 'statusCode', {
      get() {
        throw new Error('statusCode getter')
      },
    })

  it('publishes an error whose statusCode getter throws, and the next invocation publishes single values', async () => {
    // Prepare: one handler, so both invocations share its Metrics (as on Lambda).
    const handler = wrap(async (event: { fail: boolean }) => {
      if (event.fail) throw hostileStatus()
      return 'ok'
    }).use(metrics({ invocations: true }))

    // Act
    await expect(handler({ fail: true }, context())).rejects.toThrow('hostile')
    await handler({ fail: false }, context())

    // Assess
    expect(documents()).toEqual([
      expect.objectContaining({ Invocations: 1, Errors: 1, Timeouts: 0 }),
      expect.objectContaining({ Invocations: 1, Errors: 0, Timeouts: 0 }),
    ])
  })

  it('counts an answer whose statusCode getter throws as a failure, and leaves nothing behind', async () => {
    // Prepare
    const answering: Middleware = { onError: () => hostileStatus() }
    const handler = wrap(async (event: { fail: boolean }) => {
      if (event.fail) throw new Error('x')
      return 'ok'
    })
      .use(answering)
      .use(metrics({ invocations: true }))

    // Act
    await handler({ fail: true }, context())
    await handler({ fail: false }, context())

    // Assess
    expect(documents()).toEqual([
      expect.objectContaining({ Invocations: 1, Errors: 1 }),
      expect.objectContaining({ Invocations: 1, Errors: 0 }),
    ])
  })

  it('empties the buffer when recording fails half-way, so the next invocation publishes single values', async () => {
    // Prepare: the first invocation records Timeouts in seconds, so adding the standard Timeouts
    // (a Count) throws after Invocations and Errors were stored.
    const reported: unknown[] = []
    const handler = wrap<{ conflict: boolean }>({
      hooks: lifecycleHooks({ cleanupError: (error) => void reported.push(error) }),
    })
      .use(metrics({ invocations: true }))
      .handler(async (event, context) => {
        if (event.conflict) context.metrics.addMetric('Timeouts', MetricUnit.Seconds, 1)
      })

    // Act
    await handler({ conflict: true }, context())
    await handler({ conflict: false }, context())

    // Assess: the failure was reported, and the next document holds single values only.
    expect(reported).toEqual([expect.objectContaining({ message: expect.stringContaining('Timeouts') })])
    expect(documents()).toEqual([expect.objectContaining({ Invocations: 1, Errors: 0, Timeouts: 0 })])
  })
})

describe('metrics: published exactly once, on every path', () => {
  it('counts an error and rethrows it', async () => {
    // Prepare
    const handler = wrap(async () => {
      throw new Error('database down')
    }).use(metrics())

    // Act
    await expect(handler({}, context())).rejects.toThrow('database down')

    // Assess
    expect(documents()).toEqual([expect.objectContaining({ Errors: 1, Timeouts: 0 })])
  })

  it('does not count a client error errorMapper answered with a 4xx', async () => {
    // Prepare
    const handler = wrap(async () => {
      throw new NotFound('no such order')
    })
      .use(errorMapper())
      .use(metrics())

    // Act
    const response = await handler(events.apiGatewayV2(), context())

    // Assess
    expect(response).toMatchObject({ statusCode: 404 })
    expect(documents()).toEqual([expect.objectContaining({ Errors: 0 })])
  })

  it('counts a poison message: an SQS invocation that ends by throwing a 4xx ValidationError', async () => {
    // Prepare: errorMapper rethrows for SQS, so Lambda retries the batch.
    const handler = wrap(async () => {
      throw new ValidationError('order has no sku', { issues: [{ path: ['sku'], message: 'required' }] })
    })
      .use(errorMapper())
      .use(metrics())

    // Act
    const thrown = await handler(events.sqs([{ id: 1 }]), context()).catch((error: unknown) => error)

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError)
    expect(documents()).toEqual([expect.objectContaining({ Errors: 1, Timeouts: 0 })])
  })

  it('counts a 4xx error nobody answered, and an error answered with a 5xx', async () => {
    // Prepare
    const unanswered = wrap(async () => {
      throw new NotFound('no mapper here')
    }).use(metrics())
    const answered500 = wrap(async () => {
      throw new Error('database down')
    })
      .use(errorMapper())
      .use(metrics())

    // Act
    await expect(unanswered(events.apiGatewayV2(), context())).rejects.toThrow('no mapper here')
    const response = await answered500(events.apiGatewayV2(), context())

    // Assess
    expect(response).toMatchObject({ statusCode: 500 })
    expect(documents()).toEqual([expect.objectContaining({ Errors: 1 }), expect.objectContaining({ Errors: 1 })])
  })

  it('counts an invocation that throws undefined or null', async () => {
    // Prepare
    const throwing = (value: unknown) =>
      wrap(async () => {
        throw value
      }).use(metrics())

    // Act
    await expect(throwing(undefined)({}, context())).rejects.toBeUndefined()
    await expect(throwing(null)({}, context())).rejects.toBeNull()

    // Assess
    expect(documents()).toEqual([expect.objectContaining({ Errors: 1 }), expect.objectContaining({ Errors: 1 })])
  })

  it('publishes once when a later middleware answers early, even with throwOnEmptyMetrics', async () => {
    // Prepare
    const instance = new Metrics()
    instance.setThrowOnEmptyMetrics(true)
    const handler = wrap(async () => 'handler')
      .use(metrics({ metrics: instance }))
      .use({ before: () => 'early' })

    // Act
    const response = await handler({}, context())

    // Assess
    expect(response).toBe('early')
    expect(documents()).toEqual([expect.objectContaining({ Errors: 0 })])
  })

  it('publishes nothing and never throws when the invocation recorded no metric', async () => {
    // Prepare
    const instance = new Metrics()
    instance.setThrowOnEmptyMetrics(true)
    const none = { coldStart: false, invocations: false, errors: false, timeouts: false, duration: false }
    const handler = wrap<unknown>()
      .use(metrics({ metrics: instance, ...none }))
      .handler(async (_event, context) => {
        context.metrics.addDimension('tenant', 'leaky')
        context.metrics.addMetadata('trace', 'leaky')
      })
    const early = wrap(async () => 'handler')
      .use(metrics({ metrics: instance, ...none }))
      .use({ before: () => 'early' })
    const next = wrap<unknown>()
      .use(metrics({ metrics: instance, ...none }))
      .handler(async (_event, context) => context.metrics.addMetric('Next', MetricUnit.Count, 1))

    // Act
    await handler({}, context())
    await early({}, context())
    await next({}, context())

    // Assess: no line at all for the empty ones (no warning either), and nothing leaked.
    expect(output.lines).toHaveLength(1)
    expect(documents()[0]).not.toHaveProperty('tenant')
    expect(documents()[0]).not.toHaveProperty('trace')
  })

  it('counts a timeout as a timeout and an error, and still publishes', async () => {
    // Prepare
    vi.useFakeTimers()
    const guard: Middleware = {
      before: (request) => {
        armTimeout(request, 100)
      },
    }
    const handler = wrap(() => new Promise(() => {}))
      .use(guard)
      .use(metrics())

    // Act
    const settled = handler({}, createContext({ timeoutMs: 1000 })).catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(1000)
    const error = await settled

    // Assess
    expect(error).toMatchObject({ name: 'TimeoutError' })
    expect(documents()).toEqual([expect.objectContaining({ Errors: 1, Timeouts: 1 })])
  })

  it('publishes when the invocation starts with less time left than the guard’s margin', async () => {
    // Prepare: 50 ms left, a 100 ms margin: the guard fails in its before, ahead of metrics'.
    const handler = wrap(async () => 'never runs')
      .use(timeoutGuard({ marginMs: 100 }))
      .use(metrics())

    // Act
    await expect(handler({}, createContext({ timeoutMs: 50, functionName: 'orders-fn' }))).rejects.toThrow(/margin/)

    // Assess
    expect(documents()).toEqual([expect.objectContaining({ Errors: 1, Timeouts: 1, function_name: 'orders-fn' })])
    expect(coldStarts()).toHaveLength(1)
  })

  it('reports a publish that fails in that case, keeps the invocation’s error and leaves nothing behind', async () => {
    // Prepare: Errors already recorded in seconds, so adding the standard Errors (a Count) fails.
    const instance = new Metrics()
    const handler = wrap(async () => 'ok')
      .use(timeoutGuard({ marginMs: 100 }))
      .use(metrics({ metrics: instance, coldStart: false }))
    instance.addMetric('Errors', MetricUnit.Seconds, 1)
    const report = vi.spyOn(console, 'error').mockImplementation(() => {})

    // Act
    const thrown = await handler({}, createContext({ timeoutMs: 50 })).catch((error: unknown) => error)
    await handler({}, context())

    // Assess
    expect(thrown).toBeInstanceOf(TimeoutError)
    expect(report.mock.calls).toEqual([[expect.stringMatching(/^\[lamina\/metrics\] could not publish.*Errors/)]])
    expect(documents()).toEqual([expect.objectContaining({ Errors: 0, Timeouts: 0 })])
  })

  it('writes exactly the standard metrics that are switched on', async () => {
    const names = ['coldStart', 'invocations', 'errors', 'timeouts', 'duration'] as const
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), async (switches) => {
        // Prepare
        output.lines.length = 0
        const options = Object.fromEntries(names.map((name, index) => [name, switches[index]]))
        const handler = wrap<unknown>()
          .use(metrics(options))
          .handler(async (_event, context) => context.metrics.addMetric('Own', MetricUnit.Count, 1))

        // Act
        await handler({}, context())

        // Assess
        const expected = ['Own', 'Invocations', 'Errors', 'Timeouts', 'Duration'].filter(
          (_name, index) => index === 0 || switches[index],
        )
        expect(documents()).toHaveLength(1)
        expect(metricNames(documents()[0] as object)).toEqual(expected.sort())
        expect(coldStarts()).toHaveLength(switches[0] ? 1 : 0)
      }),
      { numRuns: 40 },
    )
  })
})
