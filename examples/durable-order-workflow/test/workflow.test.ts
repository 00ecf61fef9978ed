import { LocalDurableTestRunner, WaitingOperationStatus } from '@aws/durable-execution-sdk-js-testing'
import { captureOutput } from '@lamina/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import order from '../events/order.json' with { type: 'json' }
import invalidOrder from '../events/order-invalid.json' with { type: 'json' }
import { localServices } from '../src/services.js'
import { orderWorkflow } from '../src/workflow.js'

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }))
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment())

/** Runs one order; when `payment` is given, answers the payment callback as the provider's webhook would. */
async function runOrder(payload: unknown, payment?: { status: string; paymentId: string }) {
  const calls: string[] = []
  const runner = new LocalDurableTestRunner({
    handlerFunction: orderWorkflow(localServices((line) => calls.push(line))),
  })
  const output = captureOutput()
  try {
    const execution = runner.run({ payload })
    if (payment !== undefined) {
      const callback = runner.getOperation('await-payment')
      await callback.waitForData(WaitingOperationStatus.SUBMITTED)
      await callback.sendCallbackSuccess(JSON.stringify(payment))
    }
    return { result: await execution, calls, runner, records: output.records() }
  } finally {
    output.restore()
  }
}

describe('the order workflow on the local durable runner', () => {
  it('reserves, waits for the payment callback, ships, and completes', async () => {
    // Act
    const { result, calls, records } = await runOrder(order, { status: 'paid', paymentId: 'pay-1' })
    // Assess
    expect(result.getStatus()).toBe('SUCCEEDED')
    expect(result.getResult()).toEqual({
      orderId: 'o-1001',
      status: 'completed',
      paymentId: 'pay-1',
      trackingId: 'track-o-1001',
    })
    // Each side effect once, though the handler ran once per invocation (it suspended at the callback)
    expect(result.getInvocations().length).toBeGreaterThanOrEqual(2)
    expect(calls).toEqual(['reserved 2 × lamina-mug for o-1001', 'asked for 2400 cents for o-1001', 'shipped o-1001'])
    const completed = records.filter((record) => record.message === 'order completed')
    expect(completed).toHaveLength(1)
    expect(completed[0]?.durable_execution_arn).toEqual(expect.any(String))
    expect(
      records.filter((record) => record.OrdersCompleted !== undefined).map((record) => record.OrdersCompleted),
    ).toEqual([1])
  })

  it('releases the stock and cancels when the payment is declined', async () => {
    const { result, calls } = await runOrder(order, { status: 'declined', paymentId: 'pay-2' })
    expect(result.getResult()).toEqual({ orderId: 'o-1001', status: 'cancelled', reason: 'payment declined' })
    expect(calls).toEqual([
      'reserved 2 × lamina-mug for o-1001',
      'asked for 2400 cents for o-1001',
      'released res-o-1001',
    ])
  })

  it('rejects a malformed order before the first step', async () => {
    const { result, calls } = await runOrder(invalidOrder)
    expect(result.getStatus()).toBe('FAILED')
    expect(result.getError()?.errorMessage).toMatch(/did not pass validation/)
    expect([calls, result.getOperations()]).toEqual([[], []])
  })

  it('fails the execution on a payment answer it cannot read, after reserving', async () => {
    const { result } = await runOrder(order, { status: 'maybe', paymentId: 'pay-3' })
    expect(result.getStatus()).toBe('FAILED')
  })
})
