import type { Logger } from '@aws-lambda-powertools/logger'
import type { Metrics } from '@aws-lambda-powertools/metrics'
import { type Context, wrap } from '@lamina/core'
import { observability } from '@lamina/observability'
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda'
import { describe, expectTypeOf, it } from 'vitest'

describe('observability types', () => {
  it('flows context.logger and context.metrics through the array', () => {
    const handler = wrap<SQSEvent>()
      .use(observability())
      .handler(async (event, context) => {
        expectTypeOf(context.logger).toEqualTypeOf<Logger>()
        expectTypeOf(context.metrics).toEqualTypeOf<Metrics>()
        expectTypeOf(event).toEqualTypeOf<SQSEvent>()
        // @ts-expect-error: nothing adds secrets here
        context.secrets
        return event.Records.length
      })
    expectTypeOf(handler).parameters.toEqualTypeOf<[SQSEvent, Context]>()
    expectTypeOf(handler).returns.resolves.toBeNumber()
  })

  it('checks the options of each part', () => {
    // @ts-expect-error: logEvent is a boolean or a rate
    observability({ logger: { logEvent: 'always' } })
    // @ts-expect-error: metrics switches are booleans
    observability({ metrics: { duration: 1 } })
    // @ts-expect-error: there is no fourth part
    observability({ profiler: {} })
    wrap<APIGatewayProxyEventV2>().use(observability({ tracer: { enabled: false } }))
  })
})
