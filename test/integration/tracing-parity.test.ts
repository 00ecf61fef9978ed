// The same function traced in the X-Ray mode (Powertools' Tracer, real X-Ray documents over UDP)
// and in the OpenTelemetry mode (real OTLP/HTTP exports): both record the same structure. Each
// mode's output is reduced to one shape: per invocation, the handler's span or subsegment, the
// trace it belongs to, its parent (Lambda's segment), cold start, error and message, and the
// handler's own child spans.
import type { Tracer } from '@aws-lambda-powertools/tracer'
import { type Middleware, wrap } from '@lamina/core'
import { createContext, newTraceId, setLambdaEnvironment, startXRayDaemon, traceHeader } from '@lamina/testing'
import { tracing } from '@lamina/tracer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOtlpReceiver } from '../support/otlp-receiver.js'

interface Recorded {
  traceId: string
  parent: string
  coldStart: boolean
  error: string | undefined
  children: string[]
}

const lambdaSegmentId = '53995c3f42cd8ad8'

/** The function under test: one child span of its own around an await; fails when asked. */
const orders =
  (child: (name: string, work: () => Promise<void>) => Promise<void>) => async (event: { fail?: boolean }) => {
    await child('load order', () => new Promise((resolve) => setImmediate(resolve)))
    if (event.fail) throw new Error('payment declined')
    return { statusCode: 201 }
  }

/** Runs the success and the failure, each under its own Lambda trace header. */
async function invokeBoth(handler: (event: { fail?: boolean }, context: any) => Promise<unknown>) {
  const traceIds = [newTraceId(), newTraceId()]
  for (const [index, traceId] of traceIds.entries()) {
    process.env._X_AMZN_TRACE_ID = traceHeader(traceId)
    await handler({ fail: index === 1 }, createContext()).catch(() => undefined)
  }
  return traceIds
}

type XRayDocument = Record<string, any>
const flatten = (documents: XRayDocument[]): XRayDocument[] =>
  documents.flatMap((document) => [document, ...flatten(document.subsegments ?? [])])

async function recordXRay(): Promise<Recorded[]> {
  const daemon = await startXRayDaemon()
  const restore = setLambdaEnvironment({
    ...daemon.environment,
    POWERTOOLS_TRACE_ENABLED: undefined,
    LAMINA_TRACING: undefined,
  })
  try {
    const { Tracer } = await import('@aws-lambda-powertools/tracer')
    const tracer: Tracer = new Tracer()
    const child = async (name: string, work: () => Promise<void>) => {
      const parent = tracer.getSegment() as NonNullable<ReturnType<Tracer['getSegment']>>
      const subsegment = parent.addNewSubsegment(name)
      tracer.setSegment(subsegment)
      try {
        await work()
      } finally {
        subsegment.close()
        tracer.setSegment(parent)
      }
    }
    const traceIds = await invokeBoth(wrap(orders(child)).use(tracing({ tracer }) as Middleware))
    const documents = flatten(await daemon.waitFor(4))
    return traceIds.map((traceId) => {
      const handler = documents.find(
        (document) => document.trace_id === traceId && document.name === '## index.handler',
      )
      return {
        traceId,
        parent: handler?.parent_id,
        coldStart: handler?.annotations?.ColdStart,
        error: handler?.fault ? handler.cause?.exceptions?.[0]?.message : undefined,
        children: documents.filter((document) => document.parent_id === handler?.id).map((document) => document.name),
      }
    })
  } finally {
    restore()
    daemon.close()
  }
}

async function recordOpenTelemetry(): Promise<Recorded[]> {
  const receiver = await startOtlpReceiver()
  const restore = setLambdaEnvironment({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    POWERTOOLS_TRACE_ENABLED: undefined,
    LAMINA_TRACING: 'otel',
  })
  try {
    const handler = wrap<{ fail?: boolean }>()
      .use(tracing({ mode: 'otel' }))
      .handler((event, context) =>
        orders((name, work) =>
          context.tracer.startActiveSpan(name, async (span) => {
            try {
              await work()
            } finally {
              span.end()
            }
          }),
        )(event),
      )
    const traceIds = await invokeBoth(handler)
    const spans = await receiver.waitFor(4)
    return traceIds.map((traceId) => {
      const root = spans.find((span) => span.traceId === traceId.slice(2).replace('-', '') && span.kind === 2)
      return {
        traceId,
        parent: root?.parentSpanId as string,
        coldStart: root?.attributes['faas.coldstart'] as boolean,
        error: root?.status.code === 2 ? (root.events[0]?.attributes['exception.message'] as string) : undefined,
        children: spans.filter((span) => span.parentSpanId === root?.spanId).map((span) => span.name),
      }
    })
  } finally {
    restore()
    await receiver.close()
  }
}

let xray: Recorded[]
let otel: Recorded[]

beforeAll(async () => {
  xray = await recordXRay()
  otel = await recordOpenTelemetry()
})

afterAll(() => {
  delete process.env._X_AMZN_TRACE_ID
})

describe('the same function in the X-Ray mode and the OpenTelemetry mode', () => {
  it('records the expected structure in the X-Ray mode', () => {
    expect(xray.map(({ traceId: _, ...rest }) => rest)).toEqual([
      { parent: lambdaSegmentId, coldStart: true, error: undefined, children: ['load order'] },
      { parent: lambdaSegmentId, coldStart: false, error: 'payment declined', children: ['load order'] },
    ])
  })

  it('records the same structure in the OpenTelemetry mode, each invocation under its own Lambda trace', () => {
    const shape = (recorded: Recorded[]) => recorded.map(({ traceId: _, ...rest }) => rest)
    expect(shape(otel)).toEqual(shape(xray))
    expect(new Set(otel.map(({ traceId }) => traceId)).size).toBe(2)
  })
})
