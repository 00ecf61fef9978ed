// Lamina's runtime loop in this process against the emulator (the child process runs the same
// code): init, buffered and streamed answers, errors, and the report of timings and log lines.
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { type RuntimeApi, type RuntimeLoop, startRuntimeApi, startRuntimeLoop } from '../../src/index.js'
import { formatError } from '../../src/runtime/errors.js'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
let api: RuntimeApi | undefined
let loop: RuntimeLoop | undefined

afterEach(async () => {
  loop?.stop()
  await api?.close()
  loop = undefined
  api = undefined
})

async function run(handler: string) {
  api = await startRuntimeApi()
  loop = startRuntimeLoop({ runtimeApi: api.address, handler, taskRoot: fixtures, captureOutput: true })
  return { api, loop }
}

const initError = (target: RuntimeApi) => new Promise((resolve) => target.once('initError', resolve))

describe('startRuntimeLoop', () => {
  it('answers with the JSON of what the handler returned, and reports its log lines', async () => {
    // Prepare
    const { api, loop } = await run('direct.handler')

    // Act
    const queued = api.enqueue({ n: 1 })
    const outcome = await queued.outcome

    // Assess
    expect(await loop.initialized).toBe(true)
    expect(JSON.parse(outcome!.body.toString())).toMatchObject({ event: { n: 1 }, requestId: queued.requestId })
    expect(api.takeReport(queued.requestId)).toEqual({ timings: [], logs: ['direct {"n":1}', 'and more'] })
  })

  it('reports the time of each middleware and the handler, per request id', async () => {
    // Prepare
    const { api } = await run('timed.handler')

    // Act: two invocations, one after the other
    const first = api.enqueue({ name: 'a' })
    await first.outcome
    const second = api.enqueue({ name: 'b' })
    await second.outcome

    // Assess
    for (const { requestId } of [first, second]) {
      const timings = api.takeReport(requestId)!.timings
      expect(timings.map(({ phase, middleware }) => `${phase}:${middleware}`)).toEqual([
        'before:first',
        'before:second',
        'handler:handler',
        'after:first',
      ])
    }
  })

  it('answers null for a handler that returns nothing', async () => {
    const { api } = await run('context.nothing')
    const outcome = await api.enqueue({}).outcome
    expect(outcome).toMatchObject({ kind: 'response' })
    expect(outcome?.body.toString()).toBe('null')
  })

  it('finds the handler of CommonJS whose exports Node cannot list, under default', async () => {
    const { api } = await run('computed-exports.handler')
    const outcome = await api.enqueue({ n: 2 }).outcome
    expect(JSON.parse(outcome!.body.toString())).toEqual({ computed: true, event: { n: 2 } })
  })

  it('runs a nested CommonJS export', async () => {
    const { api } = await run('echo-cjs.nested.handler')
    const outcome = await api.enqueue({}).outcome
    expect(outcome?.body.toString()).toBe('{"nested":true}')
  })

  it('gives the handler the client context, Cognito identity, tenant id and trace header Lambda sent', async () => {
    // Prepare
    const { api } = await run('context.details')
    const traceId = '1-5759e988-bd862e3fe1be46a994272793'

    // Act
    const outcome = await api.enqueue(
      {},
      {
        traceId,
        tenantId: 'tenant-7',
        clientContext: { client: { app_title: 'orders' } },
        cognitoIdentity: { cognitoIdentityId: 'us-east-1:abc' },
      },
    ).outcome

    // Assess
    expect(JSON.parse(outcome!.body.toString())).toEqual({
      clientContext: { client: { app_title: 'orders' } },
      identity: { cognitoIdentityId: 'us-east-1:abc' },
      tenantId: 'tenant-7',
      trace: expect.stringMatching(new RegExp(`^Root=${traceId};`)),
    })
  })

  it('leaves the client context, identity and tenant id undefined when Lambda sends none', async () => {
    const { api } = await run('context.details')
    const outcome = await api.enqueue({}).outcome
    const details = JSON.parse(outcome!.body.toString())
    expect(details).not.toHaveProperty('clientContext')
    expect(details).not.toHaveProperty('identity')
    expect(details).not.toHaveProperty('tenantId')
  })

  it('reports no log lines, and leaves the process output alone, without captureOutput', async () => {
    // Prepare
    api = await startRuntimeApi()
    loop = startRuntimeLoop({ runtimeApi: api.address, handler: 'context.nothing', taskRoot: fixtures })
    const write = process.stdout.write

    // Act
    const queued = api.enqueue({})
    await queued.outcome

    // Assess
    expect(process.stdout.write).toBe(write)
    expect(api.takeReport(queued.requestId)).toEqual({ timings: [], logs: [] })
  })

  it('streams with the highWaterMark given to streamifyResponse', async () => {
    const { api } = await run('streaming.smallBuffer')
    const outcome = await api.enqueue({}).outcome
    expect(outcome?.body.toString()).toBe('highWaterMark 4')
  })

  it('stays warm after a streamed answer: the next invocation is taken and streamed too', async () => {
    // Prepare
    const { api } = await run('streaming.raw')

    // Act
    const first = await api.enqueue({}).outcome
    const second = await api.enqueue({}).outcome

    // Assess
    expect(first?.body.toString()).toBe('raw body')
    expect(second?.body.toString()).toBe('raw body')
  })

  it('posts an invocation error with the error type header', async () => {
    const { api } = await run('failing.handler')
    const outcome = await api.enqueue({ order: 1 }).outcome
    expect(outcome?.kind).toBe('error')
    expect(outcome?.headers['lambda-runtime-function-error-type']).toBe('OrderRejected')
  })

  it('streams through awslambda.streamifyResponse and HttpResponseStream.from', async () => {
    const { api } = await run('streaming.handler')
    const outcome = await api.enqueue({ parts: ['a', 'b'] }).outcome
    expect(outcome).toMatchObject({ streamed: true, prelude: { statusCode: 201 } })
    expect(outcome?.body.toString()).toBe('ab')
  })

  it('reports a stream that fails midway in the trailers', async () => {
    const { api } = await run('streaming.handler')
    const outcome = await api.enqueue({ parts: ['a'], fail: true }).outcome
    expect(outcome).toMatchObject({
      kind: 'error',
      streamed: true,
      streamError: { errorMessage: 'failed after the first bytes' },
    })
  })

  it('fails a streaming handler that is not async, ends a stream left open, and sends a prelude without a body', async () => {
    const sync = await (await run('streaming.notAsync')).api.enqueue({}).outcome
    expect(sync?.streamError?.errorMessage).toBe(
      'Streaming handlers must be async (return a promise): declare the handler async.',
    )
    loop?.stop()
    await api?.close()
    const open = await (await run('streaming.unended')).api.enqueue({}).outcome
    expect(open).toMatchObject({ kind: 'response', streamed: true })
    expect(open?.body.toString()).toBe('left open')
    loop?.stop()
    await api?.close()
    const empty = await (await run('streaming.emptyWithPrelude')).api.enqueue({}).outcome
    expect(empty).toMatchObject({ kind: 'response', prelude: { statusCode: 204 } })
    expect(empty?.body.length).toBe(0)
  })

  it.each([
    [
      'not-function.handler',
      'Runtime.HandlerNotFound',
      'not-function.handler is not a function (it is object): export the handler function as handler.',
    ],
    [
      'echo.missing',
      'Runtime.HandlerNotFound',
      'echo.missing is undefined or not exported: export a function named missing from echo.mjs.',
    ],
    [
      'echo-cjs.callback',
      'Runtime.CallbackHandlerDeprecated',
      expect.stringContaining('no longer supports callback handlers'),
    ],
    ['init-throws.handler', 'Error', 'TABLE_NAME is not set: set it in the function configuration.'],
    [
      'echo-cjs.empty',
      'Runtime.HandlerNotFound',
      'echo-cjs.empty is not a function (it is null): export the handler function as empty.',
    ],
    [
      'echo-cjs.empty.handler',
      'Runtime.HandlerNotFound',
      'echo-cjs.empty.handler is undefined or not exported: export a function named empty.handler from echo-cjs.cjs.',
    ],
  ])('reports %s at init as %s', async (handler, errorType, errorMessage) => {
    const { api, loop } = await run(handler)
    const reported = initError(api)
    expect(await loop.initialized).toBe(false)
    expect(await reported).toMatchObject({ errorType, errorMessage })
  })

  it('reports init failures through /init/error and does not poll', async () => {
    const { api, loop } = await run('missing.handler')
    const reported = initError(api)
    expect(await loop.initialized).toBe(false)
    expect(await reported).toMatchObject({ errorType: 'Runtime.ImportModuleError' })
  })

  it('rejects a malformed handler name at init', async () => {
    const { api, loop } = await run('no-export')
    const reported = initError(api)
    expect(await loop.initialized).toBe(false)
    expect(await reported).toMatchObject({ errorType: 'Runtime.MalformedHandlerName' })
  })
})

describe('formatError', () => {
  it('formats errors, other values, and values that cannot be read', () => {
    const hostile = new Error('x')
    Object.defineProperty(hostile, 'name', {
      get() {
        throw new Error('no')
      },
    })
    expect(formatError(new TypeError('bad'))).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad' })
    expect(formatError(42)).toEqual({ errorType: 'number', errorMessage: '42', trace: [] })
    expect(formatError(hostile).errorType).toBe('handled')
  })
})
