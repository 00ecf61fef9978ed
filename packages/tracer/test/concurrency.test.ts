// Lambda Managed Instances run many invocations at once in one process, each inside the runtime's
// InvokeStore with its own trace id. The X-Ray SDK keeps one current segment per process, so a
// subsegment closed after an await would be sent under another invocation's trace id.
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store'
import { wrap } from '@lamina/core'
import { createContext, newTraceId, setLambdaEnvironment, startXRayDaemon, type XRayDaemon } from '@lamina/testing'
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'

let daemon: XRayDaemon
let restoreEnvironment: () => void
let tracerModule: typeof import('@lamina/tracer')
let warn: ReturnType<typeof vi.spyOn>

beforeAll(async () => {
  daemon = await startXRayDaemon()
  // What the runtime client sets under concurrency: no _X_AMZN_TRACE_ID (there is no single one);
  // each invocation's trace id lives in the InvokeStore, where the X-Ray SDK reads it.
  restoreEnvironment = setLambdaEnvironment({
    ...daemon.environment,
    AWS_LAMBDA_MAX_CONCURRENCY: '8',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'lambda-managed-instances',
    _X_AMZN_TRACE_ID: undefined,
    POWERTOOLS_TRACE_ENABLED: undefined,
  })
})

beforeEach(async () => {
  daemon.documents.length = 0
  // A fresh module per test: "once per process" starts again.
  vi.resetModules()
  tracerModule = await import('@lamina/tracer')
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
})

afterEach(() => {
  warn.mockRestore()
})

afterAll(() => {
  restoreEnvironment()
  daemon.close()
})

interface Invocation {
  requestId: string
  traceId: string
}

/** Runs `count` invocations that all await the same moment, each in the runtime's store, as the runtime client does. */
async function overlappingInvocations(handler: (event: unknown, context: any) => Promise<unknown>, count: number) {
  const store = await InvokeStore.getInstanceAsync()
  const invocations: Invocation[] = Array.from({ length: count }, () => ({
    requestId: crypto.randomUUID(),
    traceId: newTraceId(),
  }))
  await Promise.all(
    invocations.map(({ requestId, traceId }) =>
      store.run(
        {
          [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: requestId,
          [InvokeStoreBase.PROTECTED_KEYS.X_RAY_TRACE_ID]: `Root=${traceId};Parent=53995c3f42cd8ad8;Sampled=1`,
        },
        () => handler({ requestId }, createContext({ awsRequestId: requestId })),
      ),
    ),
  )
  return invocations
}

const allStarted = (count: number) => {
  let started = 0
  let release = () => {}
  const everyoneIn = new Promise<void>((resolve) => {
    release = resolve
  })
  return async () => {
    if (++started === count) release()
    await everyoneIn
  }
}

describe('tracing() under concurrent invocations (AWS_LAMBDA_MAX_CONCURRENCY > 1)', () => {
  it('never sends a document under another invocation’s trace id', async () => {
    // Prepare
    const count = 6
    const awaitOthers = allStarted(count)
    const handler = wrap(async (event: { requestId: string }) => {
      await awaitOthers()
      return { requestId: event.requestId }
    }).use(tracerModule.tracing())

    // Act
    const invocations = await overlappingInvocations(handler as never, count)

    // Assess: a document, if any, carries the trace id of the invocation whose response it holds.
    const traceOf = new Map(invocations.map(({ requestId, traceId }) => [requestId, traceId]))
    const documents = await daemon.flush()
    const misattributed = documents.filter((document) => {
      const response = document.metadata?.['lamina-test']?.['index.handler response'] as { requestId: string }
      return document.trace_id !== traceOf.get(response?.requestId)
    })
    expect(misattributed).toEqual([])
  })

  it('switches tracing off with one warning per process that says why and what to do', async () => {
    // Prepare, Act
    const first = tracerModule.tracing()
    const second = tracerModule.tracing({ serviceName: 'orders' })
    await overlappingInvocations(
      wrap(async () => 'ok')
        .use(first)
        .use(second) as never,
      3,
    )

    // Assess
    expect(await daemon.flush()).toEqual([])
    expect(warn).toHaveBeenCalledTimes(1)
    const [message] = warn.mock.calls[0] as [string]
    expect(message).toContain('X-Ray tracing is off')
    expect(message).toContain('AWS_LAMBDA_MAX_CONCURRENCY is 8')
    expect(message).toContain("other invocations' trace ids")
    expect(message).toContain('tracing({ enabled: false })')
  })

  it('stays silent when tracing is switched off explicitly', async () => {
    // Prepare, Act
    const handler = wrap(async () => 'ok').use(tracerModule.tracing({ enabled: false }))
    await overlappingInvocations(handler as never, 2)

    // Assess
    expect(warn).not.toHaveBeenCalled()
    expect(await daemon.flush()).toEqual([])
  })
})

describe('tracing() with AWS_LAMBDA_MAX_CONCURRENCY=1', () => {
  it('traces each invocation under its own trace id, without a warning', async () => {
    // Prepare
    process.env.AWS_LAMBDA_MAX_CONCURRENCY = '1'
    const handler = wrap(async (event: { requestId: string }) => ({ requestId: event.requestId })).use(
      tracerModule.tracing(),
    )

    // Act: one at a time, as the runtime sends them.
    const invocations: Invocation[] = []
    try {
      invocations.push(...(await overlappingInvocations(handler as never, 1)))
      invocations.push(...(await overlappingInvocations(handler as never, 1)))
    } finally {
      process.env.AWS_LAMBDA_MAX_CONCURRENCY = '8'
    }

    // Assess
    const documents = await daemon.waitFor(2)
    expect(documents.map((document) => document.trace_id)).toEqual(invocations.map(({ traceId }) => traceId))
    expect(warn).not.toHaveBeenCalled()
  })
})

describe('runsInvocationsConcurrently', () => {
  it('is true for a maximum above 1 or a value that is not a number, false for 1 or less and when unset', () => {
    const { runsInvocationsConcurrently } = tracerModule
    fc.assert(
      fc.property(fc.integer({ min: -1_000, max: 1_000 }), (max) => {
        expect(runsInvocationsConcurrently({ AWS_LAMBDA_MAX_CONCURRENCY: String(max) })).toBe(max > 1)
      }),
    )
    fc.assert(
      fc.property(
        fc.string().filter((value) => value.trim() !== '' && Number.isNaN(Number(value))),
        (value) => {
          expect(runsInvocationsConcurrently({ AWS_LAMBDA_MAX_CONCURRENCY: value })).toBe(true)
        },
      ),
    )
    expect(runsInvocationsConcurrently({})).toBe(false)
    expect(runsInvocationsConcurrently({ AWS_LAMBDA_MAX_CONCURRENCY: ' ' })).toBe(false)
  })
})
