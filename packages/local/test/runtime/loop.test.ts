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

  it('answers null for a handler that returns nothing', async () => {
    const { api } = await run('echo-cjs.nested.handler')
    const outcome = await api.enqueue({}).outcome
    expect(outcome?.body.toString()).toBe('{"nested":true}')
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
