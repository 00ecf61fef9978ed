import type { Tracer } from '@aws-lambda-powertools/tracer'
import { type Context, wrap } from '@lamina/core'
import { type TracingOptions, tracing } from '@lamina/tracer'
import type { SQSEvent } from 'aws-lambda'
import { describe, expectTypeOf, it } from 'vitest'

describe('tracing types', () => {
  it('changes nothing the handler sees', () => {
    wrap<SQSEvent>()
      .use(tracing())
      .handler(async (event, context) => {
        expectTypeOf(event).toEqualTypeOf<SQSEvent>()
        expectTypeOf(context).toEqualTypeOf<Context>()
        // @ts-expect-error: tracing adds nothing to the context
        context.tracer
      })
  })

  it('checks its options', () => {
    expectTypeOf<TracingOptions['tracer']>().toEqualTypeOf<Tracer | undefined>()
    // @ts-expect-error: enabled is a boolean
    tracing({ enabled: 'yes' })
    // @ts-expect-error: the tracer must be a Powertools Tracer
    tracing({ tracer: {} })
  })
})
