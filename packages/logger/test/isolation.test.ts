import { InvokeStore } from '@aws/lambda-invoke-store'
import { Logger } from '@aws-lambda-powertools/logger'
import { type Context, type Middleware, wrap } from '@lamina/core'
import { logging } from '@lamina/logger'
import { type CapturedOutput, captureOutput, createContext, events, setLambdaEnvironment, tick } from '@lamina/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

let restoreEnvironment: () => void
let output: CapturedOutput

beforeEach(() => {
  restoreEnvironment = setLambdaEnvironment({ AWS_LAMBDA_MAX_CONCURRENCY: undefined })
  output = captureOutput()
})

afterEach(() => {
  output.restore()
  restoreEnvironment()
})

const lines = (message: string) => output.records().filter((line) => line.message === message)

/** A handler that logs, appends a key of its own, waits for the other invocation, logs again. */
function overlappingHandler(logger: Logger) {
  return wrap(async (event: { name: string; waitFor?: Promise<void> }) => {
    logger.info('start')
    logger.appendKeys({ customer: event.name })
    await event.waitFor
    await tick()
    logger.info('end')
    return event.name
  }).use(logging({ logger }))
}

describe('logging: temporary keys end with the invocation', () => {
  it('removes keys the handler appended and the old correlation id, on success, error and early return', async () => {
    // Prepare
    const logger = new Logger()
    const success = wrap(async () => logger.appendKeys({ leaked: 'success' })).use(logging({ logger }))
    const failure = wrap(async () => {
      logger.appendKeys({ leaked: 'error' })
      throw new Error('x')
    }).use(logging({ logger }))
    const early = wrap(async () => 'never')
      .use(logging({ logger }))
      .use({
        before() {
          logger.appendKeys({ leaked: 'early' })
          return 'early'
        },
      })
    const next = wrap(async () => logger.info('next')).use(logging({ logger }))

    // Act
    const seen: Record<string, unknown>[] = []
    await success(events.apiGatewayV2({ requestId: 'first' }), createContext() as never)
    await next({}, createContext() as never)
    await expect(failure(events.apiGatewayV2(), createContext() as never)).rejects.toThrow()
    await next({}, createContext() as never)
    await early(events.apiGatewayV2(), createContext() as never)
    await next({}, createContext() as never)
    seen.push(...lines('next'))

    // Assess
    expect(seen).toHaveLength(3)
    for (const line of seen) {
      expect(line).not.toHaveProperty('leaked')
      expect(line).not.toHaveProperty('correlation_id')
    }
  })

  it('keeps resetKeys: false keys for the next invocation', async () => {
    // Prepare
    const logger = new Logger()
    const first = wrap(async () => logger.appendKeys({ kept: 'yes' })).use(logging({ logger, resetKeys: false }))
    const second = wrap(async () => logger.info('second')).use(logging({ logger, resetKeys: false }))

    // Act
    await first({}, createContext() as never)
    await second({}, createContext() as never)

    // Assess
    expect(lines('second')[0]?.kept).toBe('yes')
  })
})

describe('logging: an invocation that never ends', () => {
  it('leaves none of its keys to the next invocations, and keys are still reset after each', async () => {
    // Prepare: an inner cleanup that never settles, so logging's cleanup never runs for it.
    const logger = new Logger()
    let stuckInCleanup!: () => void
    const cleanupStarted = new Promise<void>((resolve) => {
      stuckInCleanup = resolve
    })
    const hanging: Middleware = {
      name: 'hanging',
      cleanup: () => {
        stuckInCleanup()
        return new Promise(() => {})
      },
    }
    const stuck = wrap(async () => logger.appendKeys({ customer: 'stuck' }))
      .use(logging({ logger }))
      .use(hanging)
    const next = wrap(async (event: { name: string }) => {
      logger.info('next')
      logger.appendKeys({ customer: event.name })
    }).use(logging({ logger }))

    // Act
    // No deadline, so nothing (not even core's bound on hung hooks) ever ends it.
    void stuck(events.apiGatewayV2({ requestId: 'req-stuck' }), createContext({ deadline: false }) as never)
    await cleanupStarted
    await next({ name: 'second' }, createContext() as never)
    await next({ name: 'third' }, createContext() as never)

    // Assess: neither the stuck invocation's keys nor the second's reach a later line.
    const [second, third] = lines('next')
    expect(second).not.toHaveProperty('customer')
    expect(second).not.toHaveProperty('correlation_id')
    expect(third).not.toHaveProperty('customer')
  })
})

describe('logging: a wrapped handler called by another with the same context', () => {
  it('joins the caller’s keys and leaves them in place when it ends', async () => {
    // Prepare
    const logger = new Logger()
    const inner = wrap(async () => logger.info('inner')).use(logging({ logger }))
    const outer = wrap(async (event: unknown, context: Context) => {
      logger.appendKeys({ customer: 'outer' })
      await inner(event, context)
      logger.info('outer, after inner')
    }).use(logging({ logger }))
    const after = wrap(async () => logger.info('after')).use(logging({ logger }))

    // Act
    await outer(events.apiGatewayV2({ requestId: 'req-outer' }), createContext() as never)
    await after({}, createContext() as never)

    // Assess
    expect(lines('inner')[0]).toMatchObject({ customer: 'outer', correlation_id: 'req-outer' })
    expect(lines('outer, after inner')[0]).toMatchObject({ customer: 'outer', correlation_id: 'req-outer' })
    expect(lines('after')[0]).not.toHaveProperty('customer')
  })
})

describe('logging: two invocations overlapping in one process', () => {
  it('with one shared Logger: the first to finish does not strip the other one’s keys, the last resets', async () => {
    // Prepare
    const logger = new Logger()
    const handler = overlappingHandler(logger)
    const after = wrap(async () => logger.info('after')).use(logging({ logger }))
    let releaseB!: () => void
    const bWaits = new Promise<void>((resolve) => {
      releaseB = resolve
    })

    // Act
    const a = handler({ name: 'a' } as never, createContext() as never)
    const b = handler({ name: 'b', waitFor: bWaits } as never, createContext() as never)
    await a
    logger.info('between')
    releaseB()
    await b
    await after({}, createContext() as never)

    // Assess
    expect(lines('between')[0]?.customer).toBe('b')
    expect(lines('after')[0]).not.toHaveProperty('customer')
  })

  it('under Lambda Managed Instances (AWS_LAMBDA_MAX_CONCURRENCY): each line carries its own invocation’s keys', async () => {
    // Prepare: the runtime runs each invocation in its own InvokeStore context.
    process.env.AWS_LAMBDA_MAX_CONCURRENCY = '4'
    const store = await InvokeStore.getInstanceAsync(true)
    const logger = new Logger()
    const handler = overlappingHandler(logger)
    const contexts = { a: createContext(), b: createContext() }
    const invoke = (name: 'a' | 'b') =>
      store.run({}, () =>
        handler({ ...events.apiGatewayV2({ requestId: `req-${name}` }), name } as never, contexts[name] as never),
      )

    // Act
    const results = await Promise.all([invoke('a'), invoke('b')])
    await store.run({}, () =>
      wrap(async () => logger.info('after')).use(logging({ logger }))({}, createContext() as never),
    )

    // Assess
    expect(results).toHaveLength(2)
    const ends = lines('end')
    expect(ends).toHaveLength(2)
    const endA = ends.find((line) => line.correlation_id === 'req-a')
    const endB = ends.find((line) => line.correlation_id === 'req-b')
    expect(endA).toMatchObject({ function_request_id: contexts.a.awsRequestId, customer: 'a' })
    expect(endB).toMatchObject({ function_request_id: contexts.b.awsRequestId, customer: 'b' })
    expect(lines('after')[0]).not.toHaveProperty('customer')
    expect(lines('after')[0]).not.toHaveProperty('correlation_id')
  })
})
