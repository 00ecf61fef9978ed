import { type Middleware, wrap } from '@lamina/core'
import { createContext, events, recorder } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { isWarmupPing, warmup, warmupResponse } from '@lamina/warmup'
import fc from 'fast-check'
import { afterEach, describe, expect, test, vi } from 'vitest'

afterEach(() => {
  vi.restoreAllMocks()
})

// The default payloads each warmer documents.
const pings = {
  'serverless-plugin-warmup (and @middy/warmup)': { source: 'serverless-plugin-warmup' },
  'serverless-plugin-lambda-warmup': { source: 'serverless-plugin-lambda-warmup' },
  'lambda-warmer': { warmer: true, concurrency: 3 },
  'lambda-warmer fan-out': {
    warmer: true,
    __WARMER_INVOCATION__: 2,
    __WARMER_CONCURRENCY__: 3,
    __WARMER_CORRELATIONID__: 'c-1',
  },
}

describe('warmup(): a ping', () => {
  test.each(Object.entries(pings))(
    'from %s is answered "warmup"; nothing after it runs, not even cleanup',
    async (_, ping) => {
      // Prepare
      const log: string[] = []
      const handler = vi.fn(async () => 'handled')
      const chain = wrap(handler).use(warmup()).use(recorder('later', log))

      // Act
      const response = await chain(ping, createContext())

      // Assess
      expect(response).toBe(warmupResponse)
      expect(response).toBe('warmup')
      expect(handler).not.toHaveBeenCalled()
      expect(log).toEqual([])
    },
  )

  test('arms no timeout guard when used first: the guard after it never reads the deadline', async () => {
    // Prepare
    const context = createContext()
    const remaining = vi.spyOn(context, 'getRemainingTimeInMillis')
    const chain = wrap(async () => 'handled')
      .use(warmup())
      .use(timeoutGuard({ marginMs: 100 }))

    // Act
    const response = await chain(pings['lambda-warmer'], context)

    // Assess
    expect(response).toBe('warmup')
    expect(remaining).not.toHaveBeenCalled()
  })
})

describe('warmup(): a real event', () => {
  // Every AWS source, including EventBridge events whose own `source` field is set.
  const realEvents = {
    apiGatewayV1: events.apiGatewayV1(),
    apiGatewayV2: events.apiGatewayV2(),
    alb: events.alb(),
    functionUrl: events.functionUrl(),
    sqs: events.sqs(),
    sns: events.sns(),
    s3: events.s3(),
    dynamodbStream: events.dynamodbStream(),
    kinesis: events.kinesis(),
    eventBridge: events.eventBridge('Order Placed', {}, 'shop.orders'),
    scheduled: events.scheduled(),
  }

  test.each(Object.entries(realEvents))('from %s reaches every middleware and the handler', async (_, event) => {
    // Prepare
    const log: string[] = []
    const chain = wrap(async () => 'handled')
      .use(warmup())
      .use(recorder('later', log))

    // Act
    const response = await chain(event, createContext())

    // Assess
    expect(response).toBe('handled')
    expect(log).toEqual(['later.before', 'later.after', 'later.cleanup'])
  })

  test('any object without a ping marker is no ping, whatever else it holds', () => {
    fc.assert(
      fc.property(fc.object(), fc.oneof(fc.string(), fc.constant(undefined)), fc.anything(), (base, source, warmer) => {
        // Prepare: any source but a warmer's, any `warmer` but true.
        fc.pre(source !== 'serverless-plugin-warmup' && source !== 'serverless-plugin-lambda-warmup')
        fc.pre(warmer !== true)
        const event = { ...base, source, warmer }

        // Act / Assess
        expect(isWarmupPing(event)).toBe(false)
      }),
    )
  })

  test('a ping marker is recognised whatever else the payload carries', () => {
    fc.assert(
      fc.property(fc.object(), fc.constantFrom(...Object.values(pings)), (extra, ping) => {
        expect(isWarmupPing({ ...extra, ...ping })).toBe(true)
      }),
    )
  })

  test('a value that is not an object (null, a string, a number, an array) is no ping', () => {
    for (const event of [null, undefined, 'serverless-plugin-warmup', 42, true, ['warmer']]) {
      expect(isWarmupPing(event)).toBe(false)
    }
  })
})

describe('warmup({ isWarmup })', () => {
  test('decides with the event and the context; the default shapes are then not recognised', async () => {
    // Prepare
    const isWarmup = vi.fn((event: unknown) => (event as { type?: string }).type === 'warmer')
    const chain = wrap(async () => 'handled').use(warmup({ isWarmup }))
    const context = createContext()

    // Act
    const ping = await chain({ type: 'warmer' }, context)
    const real = await chain({ source: 'serverless-plugin-warmup' }, context)

    // Assess
    expect(ping).toBe('warmup')
    expect(real).toBe('handled')
    expect(isWarmup).toHaveBeenCalledWith({ type: 'warmer' }, context)
  })

  test('a check that throws fails the invocation with its error, like any before hook', async () => {
    const chain = wrap(async () => 'handled').use(
      warmup({
        isWarmup: () => {
          throw new Error('broken check')
        },
      }),
    )

    await expect(chain({}, createContext())).rejects.toThrow('broken check')
  })

  test('options that are not an object, or an isWarmup that is not a function, throw a TypeError at init', () => {
    expect(() => warmup(null as never)).toThrow(/warmup\(\) takes an options object/)
    expect(() => warmup({ isWarmup: 'yes' as never })).toThrow(
      /isWarmup.*takes a function \(event, context\) => boolean.*got string/,
    )
  })
})

describe('warmup(): its place in the order', () => {
  test('first in the chain, before timeoutGuard() and plain middlewares: no warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const plain: Middleware = { before: () => undefined }

    wrap(async () => 'ok')
      .use(warmup())
      .use(timeoutGuard())
      .use(plain)

    expect(warn).not.toHaveBeenCalled()
  })

  test('after timeoutGuard(): one warning naming both and the order', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})

    wrap(async () => 'ok')
      .use(timeoutGuard())
      .use(warmup())

    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /^\[lamina\] "warmup" is used after "timeout-guard": .*The order: warmup\(\) if used, timeoutGuard\(\)/,
    )
  })
})
