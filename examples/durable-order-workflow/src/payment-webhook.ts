// The payment provider's webhook (template.yaml: PaymentWebhookFunction, an HTTP API route):
// it completes the workflow's `await-payment` callback with the provider's answer.
import { LambdaClient, SendDurableExecutionCallbackSuccessCommand } from '@aws-sdk/client-lambda'
import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { validator } from '@lamina/validator'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { z } from 'zod'
import { paymentSchema } from './workflow.js'

const webhookBody = paymentSchema.extend({ callbackId: z.string().min(1) })

export function paymentWebhook(lambda: Pick<LambdaClient, 'send'>) {
  return wrap<APIGatewayProxyEventV2>()
    .use(errorMapper())
    .use(validator({ body: webhookBody }))
    .handler(async (event) => {
      const { callbackId, ...payment } = event.body
      await lambda.send(
        new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId, Result: JSON.stringify(payment) }),
      )
      return { statusCode: 202, body: JSON.stringify({ accepted: true }) }
    })
}

export const handler = paymentWebhook(new LambdaClient({}))
