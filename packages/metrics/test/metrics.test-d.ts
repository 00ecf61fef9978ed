import type { Logger } from '@aws-lambda-powertools/logger'
import type { Metrics } from '@aws-lambda-powertools/metrics'
import { type Middleware, wrap } from '@lamina/core'
import { logging } from '@lamina/logger'
import { type MetricsOptions, metrics } from '@lamina/metrics'
import type { SQSEvent } from 'aws-lambda'
import { describe, expectTypeOf, it } from 'vitest'

describe('metrics types', () => {
  it('gives the handler a typed context.metrics', () => {
    wrap<SQSEvent>()
      .use(metrics())
      .handler(async (_event, context) => {
        expectTypeOf(context.metrics).toEqualTypeOf<Metrics>()
        // @ts-expect-error: only metrics was added
        context.logger
      })
  })

  it('adds to what earlier middlewares gave the context', () => {
    wrap<SQSEvent>()
      .use(logging())
      .use(metrics())
      .handler(async (_event, context) => {
        expectTypeOf(context.metrics).toEqualTypeOf<Metrics>()
        expectTypeOf(context.logger).toEqualTypeOf<Logger>()
      })
  })

  it('declares its flow and checks its options', () => {
    expectTypeOf(metrics()).toExtend<Middleware<{ context: { metrics: Metrics } }>>()
    expectTypeOf<MetricsOptions['duration']>().toEqualTypeOf<boolean | undefined>()
    // @ts-expect-error: switches are booleans
    metrics({ coldStart: 'yes' })
    // @ts-expect-error: default dimensions are strings
    metrics({ defaultDimensions: { stage: 1 } })
  })
})
