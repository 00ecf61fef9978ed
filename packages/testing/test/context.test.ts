import { createContext, invoke, lambdaEnvironmentDefaults, setLambdaEnvironment } from '@lamina/testing'
import { afterEach, describe, expect, test, vi } from 'vitest'

afterEach(() => {
  vi.useRealTimers()
})

describe('createContext', () => {
  test('counts the deadline down from creation, never below zero', () => {
    vi.useFakeTimers()
    const context = createContext({ timeoutMs: 1000 })
    expect(context.getRemainingTimeInMillis()).toBe(1000)
    vi.advanceTimersByTime(400)
    expect(context.getRemainingTimeInMillis()).toBe(600)
    vi.advanceTimersByTime(5000)
    expect(context.getRemainingTimeInMillis()).toBe(0)
  })

  test('gives each context its own request id and applies overrides', () => {
    const a = createContext()
    const b = createContext({ functionName: 'orders', awsRequestId: 'fixed-id' })
    expect(a.awsRequestId).not.toBe(createContext().awsRequestId)
    expect(b.awsRequestId).toBe('fixed-id')
    expect(b.invokedFunctionArn).toContain(':function:orders')
    expect(b.logGroupName).toBe('/aws/lambda/orders')
  })

  test('deadline: false leaves getRemainingTimeInMillis out, as some tools do', () => {
    expect('getRemainingTimeInMillis' in createContext({ deadline: false })).toBe(false)
  })

  test('refuses a negative or non-numeric timeout with a clear message', () => {
    expect(() => createContext({ timeoutMs: -1 })).toThrow(/timeoutMs must be a non-negative number/)
    expect(() => createContext({ timeoutMs: Number.NaN })).toThrow(RangeError)
  })

  test('done/fail/succeed throw: they are gone in the Node 24 runtime', () => {
    const context = createContext()
    expect(() => context.succeed('x')).toThrow(/gone in the Node.js 24 runtime/)
    expect(() => context.fail('x')).toThrow(/context.fail/)
    expect(() => context.done()).toThrow(/context.done/)
  })
})

describe('invoke', () => {
  test('calls the handler with the event and a fresh context, or the one given', async () => {
    const handler = async (event: { n: number }, context: { functionName: string }) =>
      `${context.functionName}:${event.n}`
    expect(await invoke(handler, { n: 1 })).toBe('lamina-test:1')
    expect(await invoke(handler, { n: 2 }, { functionName: 'f' })).toBe('f:2')
    expect(await invoke(handler, { n: 3 }, { context: createContext({ functionName: 'given' }) })).toBe('given:3')
  })
})

describe('setLambdaEnvironment', () => {
  test('sets Lambda’s variables, applies overrides, removes undefined ones, and restores everything', () => {
    process.env.POWERTOOLS_DEV = 'true'
    const before = { ...process.env }
    const restore = setLambdaEnvironment({ AWS_LAMBDA_FUNCTION_NAME: 'orders', POWERTOOLS_DEV: undefined })
    expect(process.env.AWS_LAMBDA_FUNCTION_NAME).toBe('orders')
    expect(process.env.AWS_LAMBDA_LOG_GROUP_NAME).toBe('/aws/lambda/orders')
    expect(process.env.AWS_LAMBDA_INITIALIZATION_TYPE).toBe('on-demand')
    expect(process.env.POWERTOOLS_DEV).toBeUndefined()
    restore()
    expect(process.env).toEqual(before)
    delete process.env.POWERTOOLS_DEV
  })

  test('defaults name the function consistently', () => {
    const defaults = lambdaEnvironmentDefaults('x')
    expect(defaults.AWS_LAMBDA_FUNCTION_NAME).toBe('x')
    expect(defaults._X_AMZN_TRACE_ID).toMatch(/^Root=1-/)
  })
})
