// Anything a handler can throw, through the full HTTP stack users deploy (timeoutGuard →
// errorMapper → observability with real Powertools → validator → handler), ends in a well-formed
// 500 for its source with only the generic message and the request id, and never in a rejection
// (API Gateway would answer 502) or an unhandled rejection.
import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { observability } from '@lamina/observability'
import {
  type CapturedOutput,
  captureOutput,
  createContext,
  type HttpAnswer,
  type HttpSource,
  hostileValues,
  httpSources,
  setLambdaEnvironment,
  startXRayDaemon,
  traceHeader,
  type XRayDaemon,
} from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { validator } from '@lamina/validator'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'

let daemon: XRayDaemon
let restoreEnvironment: () => void
let output: CapturedOutput
const unhandled: unknown[] = []
const recordUnhandled = (reason: unknown) => unhandled.push(reason)

beforeAll(async () => {
  daemon = await startXRayDaemon()
  restoreEnvironment = setLambdaEnvironment({
    ...daemon.environment,
    _X_AMZN_TRACE_ID: traceHeader(),
    POWERTOOLS_METRICS_NAMESPACE: 'lamina-thrown-values',
    POWERTOOLS_DEV: undefined,
  })
  process.on('unhandledRejection', recordUnhandled)
  output = captureOutput()
})

afterAll(() => {
  output.restore()
  process.off('unhandledRejection', recordUnhandled)
  restoreEnvironment()
  daemon.close()
})

/** The deployed stack, in the documented order, around a handler that throws `thrown`. */
function stackThrowing(thrown: () => unknown, sync: boolean) {
  const fail = () => {
    throw thrown()
  }
  return wrap<unknown>()
    .use(timeoutGuard({ marginMs: 100 }))
    .use(errorMapper())
    .use(observability())
    .use(validator({ body: z.object({ id: z.number() }) }))
    .handler(sync ? fail : async () => fail())
}

function assertGeneric500(source: string, response: HttpAnswer, requestId: string): void {
  expect(response.statusCode).toBe(500)
  expect(response.headers?.['content-type']).toBe('application/json')
  expect(JSON.parse(response.body)).toEqual({ message: 'Internal Server Error', requestId })
  if (source === 'alb') expect(response.statusDescription).toBe('500 Internal Server Error')
}

// A thrown value is described by how to make it, not the value itself: fast-check inspects and
// prints what it generates, and a hostile value would break fast-check before Lamina.
const hostileCount = hostileValues().length
const thrownValue = fc.oneof(
  fc.record({ hostile: fc.nat(hostileCount - 1) }),
  fc.record({
    any: fc.anything({
      withNullPrototype: true,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
    }),
  }),
  fc.record({ message: fc.string({ maxLength: 80 }), cyclicCause: fc.boolean(), extra: fc.jsonValue({ maxDepth: 2 }) }),
)
type ThrownValue = typeof thrownValue extends fc.Arbitrary<infer T> ? T : never

function make(spec: ThrownValue): unknown {
  if ('hostile' in spec) return hostileValues()[spec.hostile]?.value
  if ('any' in spec) return spec.any
  const error = Object.assign(new Error(spec.message), { extra: spec.extra })
  if (spec.cyclicCause) error.cause = new Error('loop', { cause: error })
  return error
}

describe('any thrown value through the full HTTP stack', () => {
  it('ends in a well-formed generic 500 on every HTTP source, never a rejection', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...httpSources.map(({ name }) => name)),
        thrownValue,
        fc.boolean(),
        async (name, spec, sync) => {
          // Prepare
          const { factory } = httpSources.find((source) => source.name === name) as HttpSource
          const context = createContext()
          const handler = stackThrowing(() => make(spec), sync)
          // Act
          const response = (await handler(factory({ body: { id: 1 } }), context)) as HttpAnswer
          // Assess
          assertGeneric500(name, response, context.awsRequestId)
        },
      ),
      { numRuns: 600 },
    )
    expect(unhandled).toEqual([])
  }, 120_000)

  it.each(hostileValues())('answers $name with a generic 500 on every HTTP source', async ({ name: _, value }) => {
    for (const { name, factory } of httpSources) {
      const context = createContext()
      const response = (await stackThrowing(() => value, false)(factory({ body: { id: 1 } }), context)) as HttpAnswer
      assertGeneric500(name, response, context.awsRequestId)
    }
    expect(unhandled).toEqual([])
  })
})
