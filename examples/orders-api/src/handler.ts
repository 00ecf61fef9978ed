import { fileURLToPath } from 'node:url'
import { wrap } from '@lamina/core'
import { createHttpError, errorMapper } from '@lamina/errors'
import { observability } from '@lamina/observability'
import { secrets } from '@lamina/secrets'
import { timeoutGuard } from '@lamina/timeout'
import { validator } from '@lamina/validator'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { z } from 'zod'

export const CreateOrder = z.object({
  sku: z.string().min(1).max(64),
  quantity: z.coerce.number().int().positive().max(1000),
  note: z.string().max(280).optional(),
})

const PricingConfig = z.object({ apiKey: z.string().min(8), discountPercent: z.number().min(0).max(100) })

// Without AWS (npm start, tests) the secret comes from a file next to this example.
const localFile = process.env.AWS_EXECUTION_ENV
  ? undefined
  : fileURLToPath(new URL('../secrets.local.json', import.meta.url))

const unitPriceCents: Record<string, number> = { 'lamina-mug': 1200, 'lamina-shirt': 2500 }

/** POST /orders: prices an order. The middlewares are in the one order (README, "Middleware order"). */
export const handler = wrap<APIGatewayProxyEventV2>()
  .use(timeoutGuard({ marginMs: 300 }))
  .use(errorMapper())
  .use(observability({ metrics: { namespace: 'lamina-examples' } }))
  .use(secrets({ pricing: { id: 'orders/pricing', schema: PricingConfig } }, { localFile }))
  .use(validator({ body: CreateOrder }))
  .handler(async (event, context) => {
    const { sku, quantity } = event.body // typed by CreateOrder: no annotation
    const unit = unitPriceCents[sku]
    if (unit === undefined) throw createHttpError(404, `No product with sku "${sku}".`)
    const totalCents = Math.round(unit * quantity * (1 - context.secrets.pricing.discountPercent / 100))
    context.logger.info('order priced', { sku, quantity, totalCents })
    return {
      statusCode: 201,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku, quantity, totalCents }),
    }
  })
