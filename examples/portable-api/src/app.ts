// The function: written once, against the API Gateway HTTP API (v2) event. handler.ts (Lambda), azure.ts
// and google.ts only hand it to each platform.
import { wrap } from '@lamina/core'
import { errorMapper, NotFound } from '@lamina/errors'
import { cors, router } from '@lamina/router'
import { timeoutGuard } from '@lamina/timeout'
import { validator } from '@lamina/validator'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { z } from 'zod'

/** The function's time limit, the same on every platform (template.yaml, host.json, --timeout). */
export const timeoutMs = 30_000

const NewOrder = z.object({ sku: z.string().min(1), quantity: z.number().int().positive() })

// Module state is fine for a demo catalogue that never changes; per-request state never lives here.
const catalogue = new Map([['lamina-mug', { sku: 'lamina-mug', priceCents: 1200 }]])

const routes = router<APIGatewayProxyEventV2>()
  .get('/products/{sku}', async (event) => {
    const product = catalogue.get(event.pathParameters.sku)
    if (product === undefined) throw new NotFound('No such product')
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(product) }
  })
  .post('/orders', [validator({ body: NewOrder })], async (event, context) => {
    const product = catalogue.get(event.body.sku)
    if (product === undefined) throw new NotFound('No such product')
    console.log(JSON.stringify({ level: 'INFO', message: 'order placed', requestId: context.awsRequestId }))
    return {
      statusCode: 201,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...event.body, totalCents: product.priceCents * event.body.quantity }),
    }
  })

export const handler = wrap<APIGatewayProxyEventV2>()
  .use(timeoutGuard({ marginMs: 1_000 }))
  .use(cors({ origins: ['https://shop.example'] }))
  .use(errorMapper())
  .handler(routes)
