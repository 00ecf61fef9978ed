import { createRetryStrategy, type DurableExecutionClient } from '@aws/durable-execution-sdk-js'
import { LocalDurableTestRunner, WaitingOperationStatus } from '@aws/durable-execution-sdk-js-testing'
import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import type { Middleware } from '@lamina/core'
import { type DurableHandler, wrapDurable } from '@lamina/core/durable'
import { logging } from '@lamina/logger'
import { metrics } from '@lamina/metrics'
import { captureOutput, createContext } from '@lamina/testing'
import { validator } from '@lamina/validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }))
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment())

const run = (handler: DurableHandler, payload: unknown = {}) =>
  new LocalDurableTestRunner({ handlerFunction: handler }).run({ payload })

/**
 * Runs a workflow, answering its callbacks (in order) once each is waiting: a callback is where
 * an invocation surely suspends, so the next one replays what came before.
 */
async function runAnswering(handler: DurableHandler, callbacks: string[], payload: unknown = {}) {
  const runner = new LocalDurableTestRunner({ handlerFunction: handler })
  const execution = runner.run({ payload })
  for (const name of callbacks) {
    const callback = runner.getOperation(name)
    await callback.waitForData(WaitingOperationStatus.SUBMITTED)
    await callback.sendCallbackSuccess('"ok"')
  }
  return execution
}

const noSubmitter = async () => undefined

/** Records each phase a middleware sees, per invocation. */
function recorder(seen: string[]): Middleware {
  return {
    name: 'recorder',
    before: () => void seen.push('before'),
    after: (request) => void seen.push(`after ${JSON.stringify(request.response)}`),
    onError: (request) => void seen.push(`onError ${(request.error as Error).message}`),
    cleanup: (request) => void seen.push(`cleanup, ${request.response === undefined ? 'no answer' : 'answered'}`),
  }
}

describe('wrapDurable: workflows on the local runner', () => {
  it('completes steps, a wait and a callback; cleanup ends every invocation, after runs once', async () => {
    // Prepare
    const seen: string[] = []
    const handler = wrapDurable(async (event: { orderId: string }, context) => {
      const reserved = await context.step('reserve', async () => `reserved ${event.orderId}`)
      await context.wait('cool-off', { seconds: 30 })
      const payment = await context.waitForCallback<string>('payment', async () => undefined, {
        timeout: { minutes: 5 },
      })
      return { reserved, payment: JSON.parse(payment) }
    }).use(recorder(seen))
    const runner = new LocalDurableTestRunner({ handlerFunction: handler })
    // Act
    const execution = runner.run({ payload: { orderId: 'o-1' } })
    const callback = runner.getOperation('payment')
    await callback.waitForData(WaitingOperationStatus.SUBMITTED)
    await callback.sendCallbackSuccess(JSON.stringify({ paid: 42 }))
    const result = await execution
    // Assess: each suspended invocation (the callback's, maybe the wait's) cleaned up without an answer
    expect(result.getStatus()).toBe('SUCCEEDED')
    expect(result.getResult()).toEqual({ reserved: 'reserved o-1', payment: { paid: 42 } })
    const suspensions = result.getInvocations().length - 1
    expect(suspensions).toBeGreaterThanOrEqual(1)
    expect(seen).toEqual([
      ...Array.from({ length: suspensions }, () => ['before', 'cleanup, no answer']).flat(),
      'before',
      'after {"reserved":"reserved o-1","payment":{"paid":42}}',
      'cleanup, answered',
    ])
  })

  it('re-runs no completed step when it replays after an interruption', async () => {
    // Prepare
    const runs: Record<string, number> = { charge: 0, ship: 0, body: 0 }
    const handler = wrapDurable(async (_event, context) => {
      runs.body = (runs.body as number) + 1
      await context.step('charge', async () => {
        runs.charge = (runs.charge as number) + 1
      })
      await context.waitForCallback('approved', noSubmitter)
      await context.step('ship', async () => {
        runs.ship = (runs.ship as number) + 1
      })
      await context.waitForCallback('delivered', noSubmitter)
      return 'done'
    })
    // Act
    const result = await runAnswering(handler, ['approved', 'delivered'])
    // Assess: the handler ran once per invocation (three), each step once
    expect(result.getStatus()).toBe('SUCCEEDED')
    expect(result.getInvocations()).toHaveLength(3)
    expect(runs).toEqual({ body: 3, charge: 1, ship: 1 })
  })

  it('retries a step that throws, per its retry strategy', async () => {
    // Prepare
    let attempts = 0
    const handler = wrapDurable(async (_event, context) =>
      context.step(
        'flaky',
        async () => {
          attempts++
          if (attempts < 3) throw new Error(`attempt ${attempts} failed`)
          return attempts
        },
        { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 } }) },
      ),
    )
    // Act
    const result = await run(handler)
    // Assess
    expect(result.getStatus()).toBe('SUCCEEDED')
    expect(result.getResult()).toBe(3)
  })

  it('fails the execution once the retries are spent; onError sees the step error', async () => {
    const seen: string[] = []
    const handler = wrapDurable(async (_event, context) =>
      context.step(
        'broken',
        async () => {
          throw new Error('always fails')
        },
        { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 } }) },
      ),
    ).use(recorder(seen))
    const result = await run(handler)
    expect(result.getStatus()).toBe('FAILED')
    expect(result.getError()?.errorMessage).toBe('always fails')
    expect(seen.filter((line) => line.startsWith('onError'))).toEqual(['onError always fails'])
  })

  it('rejects bad input with a validator before the first step', async () => {
    // Prepare
    let stepped = false
    const handler = wrapDurable<{ orderId: string }>()
      .use(validator({ event: z.object({ orderId: z.string().min(1) }) }))
      .handler(async (event, context) => {
        await context.step('first', async () => {
          stepped = true
        })
        return event.orderId
      })
    // Act
    const bad = await run(handler, { orderId: 42 })
    const good = await run(handler, { orderId: 'o-2' })
    // Assess
    expect(bad.getStatus()).toBe('FAILED')
    expect(bad.getError()?.errorMessage).toMatch(/did not pass validation/)
    expect(bad.getOperations()).toEqual([])
    expect([good.getStatus(), good.getResult(), stepped]).toEqual(['SUCCEEDED', 'o-2', true])
  })

  it('fails the execution with a handler that throws at once', async () => {
    const seen: string[] = []
    const handler = wrapDurable(() => {
      throw new Error('sync failure')
    }).use(recorder(seen))
    const result = await run(handler)
    expect(result.getStatus()).toBe('FAILED')
    expect(seen).toEqual(['before', 'onError sync failure', 'cleanup, no answer'])
  })

  it('gives middlewares the Lambda context fields, this invocation’s deadline and the execution id', async () => {
    // Prepare
    const seen: unknown[] = []
    const handler = wrapDurable(async () => 'ok').use({
      before: (request) => {
        const context = request.context
        seen.push(typeof context.functionName, typeof context.awsRequestId, context.getRemainingTimeInMillis() > 0)
        seen.push(String(context.durableExecutionArn) === context.executionContext.durableExecutionArn)
      },
    })
    // Act
    await run(handler)
    // Assess
    expect(seen).toEqual(['string', 'string', true, true])
  })
})

describe('wrapDurable: logging and metrics across replays', () => {
  it('logs a line written between steps once, not again on replay, with the execution id', async () => {
    // Prepare
    const logger = new Logger({ serviceName: 'orders' })
    const handler = wrapDurable(async (_event, context) => {
      const charged = await context.step('charge', async () => 42)
      context.logger.info('charged', { charged })
      context.logger.debug('below the level')
      await context.waitForCallback('approved', noSubmitter)
      context.logger.info('after the wait')
      return charged
    }).use(logging({ logger }))
    const output = captureOutput()
    // Act
    let result: Awaited<ReturnType<typeof run>>
    try {
      result = await runAnswering(handler, ['approved'])
    } finally {
      output.restore()
    }
    // Assess
    expect(result.getStatus()).toBe('SUCCEEDED')
    expect(result.getInvocations()).toHaveLength(2)
    const lines = output.records().filter((record) => record.service === 'orders')
    expect(lines.map((line) => line.message)).toEqual(['charged', 'after the wait'])
    expect(lines.every((line) => typeof line.durable_execution_arn === 'string')).toBe(true)
  })

  it('publishes a metric recorded between steps once, however many times the handler replays', async () => {
    // Prepare
    const instance = new Metrics({ namespace: 'orders', serviceName: 'orders' })
    const handler = wrapDurable()
      .use(metrics({ metrics: instance }))
      .handler(async (_event, context) => {
        await context.step('charge', async () => 42)
        context.metrics.addMetric('OrdersCharged', MetricUnit.Count, 1)
        await context.waitForCallback('approved', noSubmitter)
        await context.waitForCallback('delivered', noSubmitter)
        return 'done'
      })
    const output = captureOutput()
    // Act
    let result: Awaited<ReturnType<typeof run>>
    try {
      result = await runAnswering(handler, ['approved', 'delivered'])
    } finally {
      output.restore()
    }
    // Assess: three invocations, one OrdersCharged
    expect(result.getInvocations()).toHaveLength(3)
    const documents = output.records().filter((record) => record._aws !== undefined)
    const charged = documents.filter((document) => document.OrdersCharged !== undefined)
    expect(charged.map((document) => document.OrdersCharged)).toEqual([1])
    expect(typeof charged[0]?.durable_execution_arn).toBe('string')
  })
})

describe('wrapDurable: what middlewares put on the context', () => {
  it('leaves the SDK’s own replay-aware logger in place when no middleware replaces it', async () => {
    const handler = wrapDurable(async (_event, context) => {
      await context.step('charge', async () => 42)
      context.logger.info('sdk line')
      await context.waitForCallback('approved', noSubmitter)
      return 'done'
    })
    const output = captureOutput()
    try {
      await runAnswering(handler, ['approved'])
    } finally {
      output.restore()
    }
    expect(output.lines.filter((line) => line.includes('sdk line'))).toHaveLength(1)
  })

  it('works with any logger and metrics object, reading their other properties through', async () => {
    // Prepare: minimal stand-ins with no appendKeys or addMetadata
    const lines: string[] = []
    const recorded: string[] = []
    const seen: unknown[] = []
    const handler = wrapDurable(async (_event, context) => {
      const ctx = context as unknown as {
        logger: { level: string; info(line: string): void }
        metrics: { addMetric(name: string): void }
      }
      seen.push(ctx.logger.level)
      ctx.logger.info('one')
      ctx.metrics.addMetric('m')
      await context.waitForCallback('approved', noSubmitter)
      return 'done'
    }).use([
      {
        before: (request) => {
          request.context.logger = { level: 'INFO', info: (line: string) => void lines.push(line) }
        },
      },
      {
        before: (request) => {
          request.context.metrics = { addMetric: (name: string) => void recorded.push(name) }
        },
      },
    ])
    // Act
    const result = await runAnswering(handler, ['approved'])
    // Assess: two invocations, one line and one metric
    expect(result.getInvocations()).toHaveLength(2)
    expect([lines, recorded, seen]).toEqual([['one'], ['m'], ['INFO', 'INFO']])
  })
})

describe('wrapDurable: one invocation, driven directly', () => {
  /** The SDK's transport, answering as the service would for a fresh execution. */
  const transport: DurableExecutionClient = {
    getExecutionState: async () => ({ Operations: [] }),
    checkpoint: async () => ({ CheckpointToken: 'next', NewExecutionState: { Operations: [] } }),
  }
  const input = {
    DurableExecutionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders:$LATEST/durable-execution/e1/r1',
    CheckpointToken: 'first',
    InitialExecutionState: {
      Operations: [
        { Id: 'execution', Type: 'EXECUTION', Status: 'STARTED', ExecutionDetails: { InputPayload: '{"n":1}' } },
      ],
    },
  }

  it('aborts request.signal at this invocation’s deadline, from the Lambda context', async () => {
    // Prepare
    const handler = wrapDurable(
      (_event, _context, { signal }) =>
        new Promise((resolve) => signal.addEventListener('abort', () => resolve((signal.reason as Error).name))),
      { durable: { durableExecutionClient: transport } },
    )
    // Act
    const output = await handler(input as never, createContext({ timeoutMs: 40 }) as never)
    // Assess
    expect(output).toEqual({ Status: 'SUCCEEDED', Result: '"TimeoutError"' })
  })

  it('refuses options that are not an object', () => {
    expect(() => wrapDurable(async () => 1, 5 as never)).toThrow(/options must be an object like \{ hooks, durable \}/)
  })

  it('validates middlewares as wrap() does', () => {
    expect(() => wrapDurable(async () => 1).use(null as never)).toThrow(
      /middleware #1 needs before\/after\/onError\/cleanup functions/,
    )
  })
})
