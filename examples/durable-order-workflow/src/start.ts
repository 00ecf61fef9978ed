// Runs the order workflow on the durable SDK's local runner (no AWS account): one order paid,
// one declined, one malformed. The payment provider is played here: when the workflow waits on
// its `await-payment` callback, this script completes it, as payment-webhook.ts does in AWS.
import { readFile } from 'node:fs/promises'
import { LocalDurableTestRunner, WaitingOperationStatus } from '@aws/durable-execution-sdk-js-testing'
import { setLambdaEnvironment } from '@lamina/testing'

setLambdaEnvironment({ AWS_LAMBDA_FUNCTION_NAME: 'order-workflow', POWERTOOLS_SERVICE_NAME: 'orders' })
// Powertools reads the environment when the logger is created: load the workflow after it is set.
const { localServices } = await import('./services.js')
const { orderWorkflow } = await import('./workflow.js')

const readEvent = async (name: string) =>
  JSON.parse(await readFile(new URL(`../events/${name}`, import.meta.url), 'utf8'))

async function runOrder(label: string, order: unknown, payment?: { status: string; paymentId: string }) {
  const handler = orderWorkflow(localServices((line) => console.log(`  service: ${line}`)))
  const runner = new LocalDurableTestRunner({ handlerFunction: handler })
  console.log(`\n${label}`)
  const execution = runner.run({ payload: order })
  if (payment !== undefined) {
    const callback = runner.getOperation('await-payment')
    await callback.waitForData(WaitingOperationStatus.SUBMITTED)
    await callback.sendCallbackSuccess(JSON.stringify(payment))
  }
  const result = await execution
  const status = result.getStatus()
  const outcome = status === 'SUCCEEDED' ? JSON.stringify(result.getResult()) : result.getError()?.errorMessage
  console.log(`  ${status} after ${result.getInvocations().length} invocation(s): ${outcome}`)
}

await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true })
try {
  await runOrder('order o-1001, paid', await readEvent('order.json'), { status: 'paid', paymentId: 'pay-1' })
  await runOrder('order o-1001, declined', await readEvent('order.json'), { status: 'declined', paymentId: 'pay-2' })
  await runOrder('a malformed order', await readEvent('order-invalid.json'))
} finally {
  await LocalDurableTestRunner.teardownTestEnvironment()
}
