import { LogFormatter, Logger } from '@aws-lambda-powertools/logger'
import { type Context, type Middleware, wrap } from '@lamina/core'
import { errorMessage, eventMessage, logging } from '@lamina/logger'
import { type CapturedOutput, captureOutput, createContext, events, setLambdaEnvironment } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

let restoreEnvironment: () => void
let output: CapturedOutput

beforeEach(() => {
  restoreEnvironment = setLambdaEnvironment({ POWERTOOLS_LOGGER_LOG_EVENT: undefined, POWERTOOLS_DEV: undefined })
  output = captureOutput()
})

afterEach(() => {
  output.restore()
  restoreEnvironment()
  vi.restoreAllMocks()
})

const byMessage = (message: string) => output.records().filter((line) => line.message === message)

describe('logging: keys on every line', () => {
  it('adds the Lambda context, cold start, trace id and service to lines the handler writes', async () => {
    // Prepare
    const handler = wrap(async (_event: unknown, context: { logger: Logger }) => {
      context.logger.info('working')
      return 'ok'
    }).use(logging())
    const context = createContext({ functionName: 'orders' })

    // Act
    await handler(events.apiGatewayV2({ requestId: 'req-1' }), context as never)
    await handler(events.apiGatewayV2({ requestId: 'req-2' }), createContext({ functionName: 'orders' }) as never)

    // Assess
    const [first, second] = byMessage('working')
    expect(first).toMatchObject({
      level: 'INFO',
      service: 'lamina-test',
      function_name: 'orders',
      function_request_id: context.awsRequestId,
      function_arn: context.invokedFunctionArn,
      function_memory_size: '128',
      cold_start: true,
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      correlation_id: 'req-1',
    })
    expect(second).toMatchObject({ cold_start: false, correlation_id: 'req-2' })
  })

  it('puts the same Logger on context.logger', async () => {
    // Prepare
    const logger = new Logger({ serviceName: 'given' })
    let seen: unknown
    const handler = wrap<unknown>()
      .use(logging({ logger }))
      .handler(async (_event, context) => {
        seen = context.logger
      })

    // Act
    await handler({}, createContext() as never)

    // Assess
    expect(seen).toBe(logger)
  })

  it.each([
    [
      'an x-correlation-id header',
      events.apiGatewayV1({ headers: { 'X-Correlation-Id': 'from-caller' } }),
      'from-caller',
    ],
    ['the API Gateway v1 request id', events.apiGatewayV1({ requestId: 'v1-id' }), 'v1-id'],
    ['the function URL request id', events.functionUrl({ requestId: 'url-id' }), 'url-id'],
    ['the ALB trace header', events.alb({ headers: { 'x-amzn-trace-id': 'Root=alb' } }), 'Root=alb'],
    ['the EventBridge id', { ...events.eventBridge('OrderPlaced', {}), id: 'eb-id' }, 'eb-id'],
  ])('takes the correlation id from %s', async (_name, event, expected) => {
    // Prepare
    const logger = new Logger()
    const handler = wrap(async () => logger.info('seen')).use(logging({ logger }))

    // Act
    await handler(event, createContext() as never)

    // Assess
    expect(byMessage('seen')[0]?.correlation_id).toBe(expected)
  })

  it('takes the SQS message id of a one-record batch, and none for a batch of many', async () => {
    // Prepare
    const logger = new Logger()
    const handler = wrap(async () => logger.info('seen')).use(logging({ logger }))
    const single = events.sqs([{ n: 1 }])

    // Act
    await handler(single, createContext() as never)
    await handler(events.sqs([{ n: 1 }, { n: 2 }]), createContext() as never)

    // Assess
    const [one, many] = byMessage('seen')
    expect(one?.correlation_id).toBe(single.Records[0]?.messageId)
    expect(many).not.toHaveProperty('correlation_id')
  })

  it('reads the correlation id from a configured path or function', async () => {
    // Prepare
    const logger = new Logger()
    const byPath = wrap(async () => logger.info('path')).use(logging({ logger, correlationId: 'detail.orderId' }))
    const byFunction = wrap(async () => logger.info('fn')).use(
      logging({ logger, correlationId: (event) => (event as { n: number }).n }),
    )

    // Act
    await byPath(events.eventBridge('Order', { orderId: 'order-7' }), createContext() as never)
    await byFunction({ n: 42 }, createContext() as never)

    // Assess
    expect(byMessage('path')[0]?.correlation_id).toBe('order-7')
    expect(byMessage('fn')[0]?.correlation_id).toBe('42')
  })
})

describe('logging: the event', () => {
  it('is not logged by default', async () => {
    // Prepare
    const handler = wrap(async () => 'ok').use(logging())

    // Act
    await handler(events.apiGatewayV2(), createContext() as never)

    // Assess
    expect(byMessage(eventMessage)).toHaveLength(0)
  })

  it('is logged when POWERTOOLS_LOGGER_LOG_EVENT is set and the option is left alone', async () => {
    // Prepare
    process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true'
    const handler = wrap(async () => 'ok').use(logging())
    const event = events.eventBridge('Ping', { n: 1 })

    // Act
    await handler(event, createContext() as never)

    // Assess
    expect(byMessage(eventMessage)[0]?.event).toEqual(event)
  })

  it('masks the configured paths in the logged copy and leaves the handler its event', async () => {
    // Prepare
    let seen: unknown
    const handler = wrap(async (event: unknown) => {
      seen = event
    }).use(logging({ logEvent: true, redact: ['headers.authorization', 'body', 'missing.path'] }))
    const event = events.apiGatewayV2({ headers: { authorization: 'Bearer abc' }, body: { card: '4111' } })
    const original = structuredClone(event)

    // Act
    await handler(event, createContext() as never)

    // Assess
    const logged = byMessage(eventMessage)[0]?.event
    expect(logged.headers.authorization).toBe('****')
    expect(logged.body).toBe('****')
    expect(logged.requestContext.requestId).toBe(event.requestContext.requestId)
    expect(seen).toBe(event)
    expect(event).toEqual(original)
  })

  it('is logged for the sampled share of invocations only', async () => {
    // Prepare
    const never = wrap(async () => 'ok').use(logging({ logEvent: 0 }))
    const always = wrap(async () => 'ok').use(logging({ logEvent: 1 }))

    // Act
    for (let index = 0; index < 20; index++) await never({ index }, createContext() as never)
    for (let index = 0; index < 3; index++) await always({ index }, createContext() as never)

    // Assess
    expect(byMessage(eventMessage).map((line) => line.event.index)).toEqual([0, 1, 2])
  })

  it('rejects options it cannot honour, saying what it takes', () => {
    expect(() => logging({ logEvent: 2 })).toThrow(/sample rate from 0 to 1/)
    expect(() => logging({ logEvent: Number.NaN })).toThrow(/sample rate/)
    expect(() => logging({ redact: [''] })).toThrow(/dot paths/)
    expect(() => logging({ redact: 'body' as never })).toThrow(/dot paths/)
  })
})

describe('logging: errors', () => {
  it('writes the error once at error level, with its stack and cause, before a mapper answers', async () => {
    // Prepare
    const seenByMapper: number[] = []
    const mapper: Middleware = {
      name: 'mapper',
      onError() {
        seenByMapper.push(byMessage(errorMessage).length)
        return { statusCode: 500 }
      },
    }
    const handler = wrap(async () => {
      throw new Error('payment failed', { cause: new Error('card declined') })
    })
      .use(mapper)
      .use(logging())

    // Act
    const response = await handler(events.apiGatewayV2(), createContext() as never)

    // Assess
    expect(response).toEqual({ statusCode: 500 })
    const lines = byMessage(errorMessage)
    expect(lines).toHaveLength(1)
    expect(seenByMapper).toEqual([1])
    expect(lines[0]).toMatchObject({
      level: 'ERROR',
      error: { name: 'Error', message: 'payment failed', cause: { message: 'card declined' } },
    })
    expect(lines[0]?.error.stack).toContain('payment failed')
  })

  it('writes an error once even when it crosses two wrapped handlers that both log', async () => {
    // Prepare
    const inner = wrap(async () => {
      throw new Error('deep')
    }).use(logging())
    const outer = wrap(async (event: unknown, context: Context) => inner(event, context)).use(logging())

    // Act
    await expect(outer({}, createContext() as never)).rejects.toThrow('deep')

    // Assess
    expect(byMessage(errorMessage)).toHaveLength(1)
  })

  it('writes the same error object again when a later invocation throws it', async () => {
    // Prepare: an init failure kept and rethrown by every invocation.
    const initFailure = new Error('configuration missing')
    const handler = wrap(async () => {
      throw initFailure
    }).use(logging())

    // Act
    await expect(handler({}, createContext())).rejects.toBe(initFailure)
    await expect(handler({}, createContext())).rejects.toBe(initFailure)

    // Assess
    expect(byMessage(errorMessage)).toHaveLength(2)
  })

  it('writes a thrown non-Error as its string value', async () => {
    // Prepare
    const handler = wrap(async () => {
      throw 'plain string'
    }).use(logging())

    // Act
    await expect(handler({}, createContext() as never)).rejects.toBe('plain string')

    // Assess
    expect(byMessage(errorMessage)[0]?.error).toEqual({ value: 'plain string' })
  })

  it('writes the error with this invocation’s keys when a middleware before logging() fails first', async () => {
    // Prepare: 50 ms left is inside the guard's 100 ms margin, so the guard fails in its before
    // and logging's before never runs. An earlier invocation left its context on the Logger.
    const logger = new Logger()
    const handler = wrap(async () => logger.info('handled'))
      .use(timeoutGuard({ marginMs: 100 }))
      .use(logging({ logger }))
    await handler(events.apiGatewayV2({ requestId: 'earlier' }), createContext())
    const context = createContext({ timeoutMs: 50 })

    // Act
    await expect(handler(events.apiGatewayV2({ requestId: 'late' }), context)).rejects.toThrow(/margin/)
    await handler(events.apiGatewayV2({ requestId: 'after' }), createContext())

    // Assess
    expect(byMessage(errorMessage)).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        function_request_id: context.awsRequestId,
        correlation_id: 'late',
        cold_start: false,
        error: expect.objectContaining({ name: 'TimeoutError' }),
      }),
    ])
    expect(byMessage('handled').map((line) => line.correlation_id)).toEqual(['earlier', 'after'])
  })

  it('writes an Error whose cause chain loops once per link, the loop marked, and its own fields', async () => {
    // Prepare
    const first = Object.assign(new Error('first'), { code: 'E_FIRST', attempt: 2n })
    first.cause = new Error('second', { cause: first })
    const handler = wrap(async () => {
      throw first
    }).use(logging())

    // Act
    await expect(handler({}, createContext())).rejects.toBe(first)

    // Assess
    expect(byMessage(errorMessage)[0]?.error).toEqual({
      name: 'Error',
      message: 'first',
      stack: expect.stringContaining('first'),
      code: 'E_FIRST',
      attempt: '2',
      cause: { name: 'Error', message: 'second', stack: expect.any(String), cause: '[circular]' },
    })
  })

  it.each([
    ['holds itself in a field', (error: Error) => Object.assign(error, { self: error })],
    ['holds itself deeper', (error: Error) => Object.assign(error, { nested: { a: [{ back: error }] } })],
    [
      'holds an Error whose cause leads back',
      (error: Error) => Object.assign(error, { original: new Error('inner', { cause: error }) }),
    ],
  ])('writes an Error that %s as one bounded line, without formatting it over and over', async (_name, loop) => {
    // Prepare: Powertools formats each Error it meets into a fresh object, so a loop through an
    // Error's own fields is never seen as circular there (over 100 ms a line was measured)
    const looping = loop(Object.assign(new Error('looping'), { code: 'E_LOOP' }) as Error)
    const formatError = vi.spyOn(LogFormatter.prototype, 'formatError')
    const handler = wrap(async () => {
      throw looping
    }).use(logging())

    // Act
    await expect(handler({}, createContext())).rejects.toBe(looping)

    // Assess
    expect(byMessage(errorMessage)).toHaveLength(1)
    expect(byMessage(errorMessage)[0]?.error).toMatchObject({ name: 'Error', message: 'looping', code: 'E_LOOP' })
    expect(formatError.mock.calls.length).toBeLessThanOrEqual(2)
  })

  it('still lets Powertools format an Error that holds another Error without a loop', async () => {
    // Prepare
    const failure = Object.assign(new Error('outer'), { original: new Error('inner') })
    const handler = wrap(async () => {
      throw failure
    }).use(logging())

    // Act
    await expect(handler({}, createContext())).rejects.toBe(failure)

    // Assess: the nested Error is written as Powertools writes one, not dropped
    expect(byMessage(errorMessage)[0]?.error).toMatchObject({
      message: 'outer',
      original: { name: 'Error', message: 'inner', location: expect.any(String) },
    })
  })

  it('writes what it can read of a value that resists reading, and the tag of one with nothing readable', async () => {
    // Prepare
    const resisting = Object.defineProperty({ code: 'E_PARTIAL' }, 'message', {
      enumerable: true,
      get() {
        throw new Error('no message for you')
      },
    })
    const throwing = (value: unknown) =>
      wrap(async () => {
        throw value
      }).use(logging())

    // Act
    await expect(throwing(resisting)({}, createContext())).rejects.toBe(resisting)
    await expect(throwing(Object.create(null))({}, createContext())).rejects.toBeDefined()

    // Assess
    expect(byMessage(errorMessage).map((line) => line.error)).toEqual([
      { code: 'E_PARTIAL' },
      { value: '[object Object]' },
    ])
  })

  it('still writes that error line when the correlationId function throws', async () => {
    // Prepare
    const handler = wrap(async () => 'never runs')
      .use(timeoutGuard({ marginMs: 100 }))
      .use(
        logging({
          correlationId: () => {
            throw new Error('no id here')
          },
        }),
      )

    // Act
    await expect(handler({}, createContext({ timeoutMs: 50 }))).rejects.toThrow(/margin/)

    // Assess
    expect(byMessage(errorMessage)).toEqual([
      expect.objectContaining({ level: 'ERROR', error: expect.objectContaining({ name: 'TimeoutError' }) }),
    ])
  })

  it('writes nothing for the error with logError: false, and still rethrows it', async () => {
    // Prepare
    const handler = wrap(async () => {
      throw new Error('quiet')
    }).use(logging({ logError: false }))

    // Act
    await expect(handler({}, createContext() as never)).rejects.toThrow('quiet')

    // Assess
    expect(byMessage(errorMessage)).toHaveLength(0)
  })
})
