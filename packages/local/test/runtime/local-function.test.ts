// startLocalFunction end to end: a real child process runs Lamina's loop against the emulator.
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type LocalFunction, startLocalFunction } from '../../src/index.js'
import { syntaxErrorFolder } from '../support/broken-fixtures.js'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
let fn: LocalFunction | undefined

afterEach(async () => {
  vi.useRealTimers()
  await fn?.close()
  fn = undefined
})

const start = async (handler: string, options: Partial<Parameters<typeof startLocalFunction>[0]> = {}) => {
  fn = await startLocalFunction({ handler, cwd: fixtures, ...options })
  return fn
}

describe('startLocalFunction', () => {
  it('runs an ES module handler cold, then warm, with its own log lines', async () => {
    // Prepare
    const local = await start('echo.handler')

    // Act
    const first = await local.invoke({ a: 1 })
    const second = await local.invoke({ a: 2 })

    // Assess
    expect(first).toMatchObject({ cold: true, timedOut: false, logs: ['echo {"a":1}'] })
    expect(first.response).toMatchObject({ event: { a: 1 }, requestId: first.requestId })
    expect(second).toMatchObject({ cold: false, logs: ['echo {"a":2}'], response: { event: { a: 2 } } })
    expect(first.requestId).not.toBe(second.requestId)
  })

  it('runs CommonJS handlers, nested exports included', async () => {
    // Prepare
    const local = await start('echo-cjs.handler')
    const nested = await startLocalFunction({ handler: 'echo-cjs.nested.handler', cwd: fixtures })

    // Act
    const cjs = await local.invoke({ b: 1 })
    const deep = await nested.invoke({})
    await nested.close()

    // Assess
    expect(cjs.response).toMatchObject({ module: 'cjs', event: { b: 1 }, requestId: cjs.requestId })
    expect(deep.response).toEqual({ nested: true })
  })

  it('gives the handler a real context and Lambda’s environment', async () => {
    // Prepare
    const local = await start('context.handler', {
      functionName: 'orders-create',
      memoryMb: 512,
      timeoutSeconds: 5,
      env: { GREETING: 'hi' },
    })

    // Act
    const { response } = (await local.invoke({})) as { response: any }

    // Assess
    expect(response.context).toMatchObject({
      functionName: 'orders-create',
      functionVersion: '$LATEST',
      memoryLimitInMB: '512',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-create',
      logGroupName: '/aws/lambda/orders-create',
    })
    expect(response.context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/)
    expect(response.context.remaining).toBeGreaterThan(3000)
    expect(response.context.remaining).toBeLessThanOrEqual(5000)
    expect(response.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'orders-create',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      _HANDLER: 'context.handler',
      LAMBDA_TASK_ROOT: fixtures.replace(/\/$/, ''),
      GREETING: 'hi',
    })
    expect(response.env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};/)
    expect(response.env.AWS_LAMBDA_MAX_CONCURRENCY).toBeUndefined()
  })

  it('reports a thrown error with its type, message and stack, and stays warm', async () => {
    // Prepare
    const local = await start('failing.handler')

    // Act
    const failed = await local.invoke({ order: 7 })
    const again = await local.invoke({ order: 8 })

    // Assess
    expect(failed.error).toMatchObject({ errorType: 'OrderRejected', errorMessage: 'order 7 rejected' })
    expect(failed.error?.stackTrace?.[0]).toBe('OrderRejected: order 7 rejected')
    expect(failed.logs[0]).toBe('about to fail')
    expect(failed.logs[1]).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"OrderRejected"/)
    expect(again.cold).toBe(false)
  })

  it('reports a thrown non-error by its type', async () => {
    const local = await start('failing.throwsString')
    const { error } = await local.invoke({})
    expect(error).toEqual({ errorType: 'string', errorMessage: 'plain string', stackTrace: [] })
  })

  it('kills a function past its timeout, reports it timed out, and starts the next invocation cold', async () => {
    // Prepare
    const local = await start('hangs.handler', { timeoutSeconds: 1 })

    // Act
    const timedOut = await local.invoke({ attempt: 1 })
    const next = await local.invoke({ attempt: 2 })

    // Assess
    expect(timedOut).toMatchObject({
      timedOut: true,
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${timedOut.requestId} Error: Task timed out after 1.00 seconds`,
      },
      logs: ['started 1'],
    })
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(900)
    expect(next).toMatchObject({ cold: true, timedOut: false, response: { attempt: 2 } })
  })

  it.each([
    ['a module that throws at import', 'init-throws.handler', 'Error', /^TABLE_NAME is not set/],
    ['a missing module', 'missing.handler', 'Runtime.ImportModuleError', /^Cannot find module 'missing'/],
    [
      'a handler that is not exported',
      'echo.nothing',
      'Runtime.HandlerNotFound',
      /echo.nothing is undefined or not exported/,
    ],
  ])('reports %s as an init error, cold, and tries init again next time', async (_, handler, errorType, message) => {
    // Prepare
    const local = await start(handler)

    // Act
    const first = await local.invoke({})
    const second = await local.invoke({})

    // Assess
    expect(first).toMatchObject({ cold: true, timedOut: false, error: { errorType } })
    expect(first.error?.errorMessage).toMatch(message)
    expect(second).toMatchObject({ cold: true, error: { errorType } })
  })

  it('reports a handler that is not a function, and a callback handler, by name', async () => {
    const notFunction = await (await start('echo-cjs.notAFunction')).invoke({})
    await fn?.close()
    const callback = await (await start('echo-cjs.callback')).invoke({})
    expect(notFunction.error).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage:
        'echo-cjs.notAFunction is not a function (it is number): export the handler function as notAFunction.',
    })
    expect(callback.error?.errorType).toBe('Runtime.CallbackHandlerDeprecated')
  })

  it('reports a process that exits mid-invocation, and starts a fresh one next', async () => {
    const local = await start('crashes.handler')
    const crashed = await local.invoke({})
    expect(crashed.error).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${crashed.requestId} Error: Runtime exited with error: exit status 3`,
    })
    expect((await local.invoke({})).cold).toBe(true)
  })

  it('times each middleware and the handler through core’s lifecycle hooks (TypeScript handler)', async () => {
    // Prepare
    const local = await start('timed.handler')

    // Act
    const result = await local.invoke({ name: 'ada' })

    // Assess
    expect(result.response).toEqual({ hello: 'ada' })
    expect(result.timings.map(({ phase, middleware }) => `${phase}:${middleware}`)).toEqual([
      'before:first',
      'before:second',
      'handler:handler',
      'after:first',
    ])
    for (const timing of result.timings) expect(timing.endMs).toBeGreaterThanOrEqual(timing.startMs)
    const [first, , handler] = result.timings
    expect(first!.endMs - first!.startMs).toBeGreaterThanOrEqual(4)
    expect(handler!.startMs).toBeGreaterThanOrEqual(first!.endMs)
  })

  it('reports a module that does not parse as Runtime.UserCodeSyntaxError', async () => {
    const local = await start('syntax-error.handler', { cwd: await syntaxErrorFolder() })
    const { error, phase } = await local.invoke({})
    expect(phase).toBe('init')
    expect(error).toMatchObject({
      errorType: 'Runtime.UserCodeSyntaxError',
      errorMessage: expect.stringMatching(/^SyntaxError: /),
    })
  })

  it('fails an init that does not finish within 10 s as Runtime.InitTimeout, and tries init again next time', async () => {
    // Prepare: Lambda's init limit is measured on a faked clock; the process itself is real
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const local = await start('init-hangs.handler')
    let settled = false

    // Act
    const first = local.invoke({}).finally(() => {
      settled = true
    })
    await vi.advanceTimersByTimeAsync(9_999)
    const settledBeforeTheLimit = settled
    await vi.advanceTimersByTimeAsync(1)
    const timedOut = await first
    const second = local.invoke({})
    await vi.advanceTimersByTimeAsync(10_000)

    // Assess
    expect(settledBeforeTheLimit).toBe(false)
    expect(timedOut).toMatchObject({
      cold: true,
      phase: 'init',
      timedOut: true,
      error: {
        errorType: 'Runtime.InitTimeout',
        errorMessage: "The function's init did not finish in 10 s: look for a top-level await that never settles.",
      },
    })
    expect(await second).toMatchObject({ cold: true, phase: 'init', error: { errorType: 'Runtime.InitTimeout' } })
  })

  it('gives init as long as the timeout when the timeout is over 10 s', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const local = await start('init-hangs.handler', { timeoutSeconds: 12 })
    let settled = false

    // Act
    const pending = local.invoke({}).finally(() => {
      settled = true
    })
    await vi.advanceTimersByTimeAsync(10_000)
    const settledAtTenSeconds = settled
    await vi.advanceTimersByTimeAsync(2_000)

    // Assess
    expect(settledAtTenSeconds).toBe(false)
    expect((await pending).error?.errorMessage).toMatch(/^The function's init did not finish in 12 s/)
  })

  it('reports a module that exits while it loads as Runtime.ExitError at init', async () => {
    const local = await start('init-exits.handler')
    const result = await local.invoke({})
    expect(result).toMatchObject({
      phase: 'init',
      cold: true,
      error: {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 4`,
      },
    })
  })

  it('reports a Node binary that cannot be started, naming why', async () => {
    const local = await start('echo.handler', { nodePath: '/nonexistent/bin/node' })
    const result = await local.invoke({})
    expect(result).toMatchObject({ phase: 'init', error: { errorType: 'Runtime.ExitError' } })
    expect(result.error?.errorMessage).toMatch(/Runtime exited with error: could not start \(spawn .*node ENOENT\)$/)
  })

  it('uses the request id and trace id the caller gives', async () => {
    // Prepare
    const local = await start('context.handler')
    const traceId = '1-5759e988-bd862e3fe1be46a994272793'

    // Act
    const result = await local.invoke({}, { requestId: 'order-42', traceId })

    // Assess
    expect(result.requestId).toBe('order-42')
    expect(result.response).toMatchObject({
      context: { awsRequestId: 'order-42' },
      env: { _X_AMZN_TRACE_ID: expect.stringContaining(`Root=${traceId}`) },
    })
  })

  it('restart() makes the next invocation cold', async () => {
    const local = await start('echo.handler')
    await local.invoke({})
    await local.restart()
    expect((await local.invoke({})).cold).toBe(true)
  })

  it('rejects options Lambda would not take, saying what to write', async () => {
    await expect(startLocalFunction({ handler: '' })).rejects.toThrow(/needs \{ handler: "path\/to\/file.export" \}/)
    await expect(startLocalFunction({ handler: 'nodot' })).rejects.toThrow(/Bad handler "nodot"/)
    await expect(startLocalFunction({ handler: 'a.b', timeoutSeconds: 0 })).rejects.toThrow(/from 1 to 900/)
    await expect(startLocalFunction({ handler: 'a.b', concurrency: 1.5 })).rejects.toThrow(/whole number/)
  })
})
