import type { Logger } from '@aws-lambda-powertools/logger'
import { type Middleware, wrap } from '@lamina/core'
import { type LoggingOptions, logging } from '@lamina/logger'
import type { Context, SQSEvent } from 'aws-lambda'
import { describe, expectTypeOf, it } from 'vitest'

describe('logging types', () => {
  it('gives the handler a typed context.logger and keeps the event', () => {
    wrap<SQSEvent>()
      .use(logging())
      .handler(async (event, context) => {
        expectTypeOf(context.logger).toEqualTypeOf<Logger>()
        expectTypeOf(context.awsRequestId).toBeString()
        expectTypeOf(event.Records).toEqualTypeOf<SQSEvent['Records']>()
        // @ts-expect-error: logging adds a logger, not metrics
        context.metrics
      })
  })

  it('leaves the outer handler raw', () => {
    const handler = wrap<SQSEvent, Context>()
      .use(logging())
      .handler(async () => 'done' as const)
    expectTypeOf(handler).parameters.toEqualTypeOf<[SQSEvent, Context]>()
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<'done'>()
  })

  it('declares its flow and checks its options', () => {
    expectTypeOf(logging()).toExtend<Middleware<{ context: { logger: Logger } }>>()
    expectTypeOf<LoggingOptions['logEvent']>().toEqualTypeOf<boolean | number | undefined>()
    // @ts-expect-error: logEvent is a boolean or a sample rate
    logging({ logEvent: 'yes' })
    // @ts-expect-error: redact takes paths
    logging({ redact: [1] })
    // @ts-expect-error: the logger must be a Powertools Logger
    logging({ logger: console })
  })
})
