// batch() as the handler of a wrap() chain with the documented middlewares before it
// (timeoutGuard, then logging): the partial response is the chain's answer, each failed record is
// one Powertools log line carrying the invocation's keys (captured from stdout), and the chain's
// deadline reaches the records.
import { BatchFailureError, batch } from '@lamina/batch'
import { forgetSecret, registerSecret, wrap } from '@lamina/core'
import { errorMessage, logging } from '@lamina/logger'
import { type CapturedOutput, captureOutput, createContext, events } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import type { SQSEvent } from 'aws-lambda'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type PowertoolsEnvironment, startPowertoolsEnvironment } from '../support/powertools.js'

let environment: PowertoolsEnvironment
let output: CapturedOutput
const secret = 'pk_batch_4c1d9e7a2b'

beforeAll(async () => {
  environment = await startPowertoolsEnvironment({ POWERTOOLS_SERVICE_NAME: 'orders-worker' })
})
beforeEach(() => {
  output = captureOutput()
})
afterEach(() => {
  output.restore()
  forgetSecret(secret)
})
afterAll(() => environment.stop())

const Order = z.object({ orderId: z.string(), quantity: z.number().int().positive() })

const chain = (record: (order: z.output<typeof Order>, signal: AbortSignal) => unknown, options = {}) =>
  wrap<SQSEvent>()
    .use(timeoutGuard({ marginMs: 100 }))
    .use(logging())
    .handler(batch({ source: 'sqs', schema: Order, ...options, record: (order, meta) => record(order, meta.signal) }))

describe('batch() inside wrap() with timeoutGuard and logging', () => {
  it('answers the partial response and logs each failed record with the invocation keys', async () => {
    // Prepare
    registerSecret(secret)
    const handler = chain((order) => {
      if (order.orderId === 'o-2') throw new Error(`payment API refused key ${secret}`)
    })
    const event = events.sqs([
      { orderId: 'o-1', quantity: 1 },
      { orderId: 'o-2', quantity: 1 },
      { orderId: 'o-3', quantity: 0 },
    ])
    const [, refused, invalid] = event.Records.map((record) => record.messageId)
    const context = createContext({ timeoutMs: 10_000 })

    // Act
    const response = await handler(event, context)

    // Assess
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      [refused, invalid].sort(),
    )
    const lines = output.records()
    const failed = lines.find((line) => line.message === 'Batch record failed')
    const rejected = lines.find((line) => line.message === 'Batch record is invalid')
    expect(failed).toMatchObject({
      level: 'ERROR',
      service: 'orders-worker',
      function_request_id: context.awsRequestId,
      itemIdentifier: refused,
      error: { name: 'Error', message: 'payment API refused key ****' },
    })
    expect(rejected).toMatchObject({
      level: 'WARN',
      function_request_id: context.awsRequestId,
      itemIdentifier: invalid,
      issues: [{ path: ['quantity'], message: expect.any(String) }],
    })
    expect(output.text()).not.toContain(secret)
    expect(lines.some((line) => line.message === errorMessage)).toBe(false)
  })

  it('throws a BatchFailureError through the chain when every record fails, logged once as the invocation error', async () => {
    // Prepare
    const handler = chain(() => {
      throw new Error('database down')
    })
    const context = createContext({ timeoutMs: 10_000 })

    // Act
    const outcome = handler(events.sqs([{ orderId: 'o-1', quantity: 1 }]), context)

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(BatchFailureError)
    const invocationErrors = output.records().filter((line) => line.message === errorMessage)
    expect(invocationErrors).toEqual([
      expect.objectContaining({
        function_request_id: context.awsRequestId,
        error: expect.objectContaining({ name: 'BatchFailureError' }),
      }),
    ])
  })

  it("stops records at the batch's margin, before the guard's, and answers with the partial response", async () => {
    // Prepare: the function has 1.5 s; records stop 1 s before the end, the guard 0.1 s before
    const handler = chain(
      (order, signal) =>
        order.orderId === 'o-1'
          ? undefined
          : new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
      { concurrency: 1, marginMs: 1000 },
    )
    const event = events.sqs([
      { orderId: 'o-1', quantity: 1 },
      { orderId: 'o-2', quantity: 1 },
      { orderId: 'o-3', quantity: 1 },
    ])
    const [, running, waiting] = event.Records.map((record) => record.messageId)

    // Act
    const response = await handler(event, createContext({ timeoutMs: 1500 }))

    // Assess
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      expect.arrayContaining([running, waiting]),
    )
    expect(response.batchItemFailures).toHaveLength(2)
    expect(output.records().map((line) => line.message)).toEqual(
      expect.arrayContaining([
        'Batch record still running at the deadline',
        'Batch records not started before the deadline',
      ]),
    )
  })
})
