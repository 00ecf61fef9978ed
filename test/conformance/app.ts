// The one Lamina function the conformance table runs on every platform: router, CORS, error
// mapping, validation and the timeout guard, in the documented order.
import { setTimeout as sleep } from 'node:timers/promises'
import { wrap } from '@lamina/core'
import { errorMapper, NotFound } from '@lamina/errors'
import { cors, router } from '@lamina/router'
import { timeoutGuard } from '@lamina/timeout'
import { validator } from '@lamina/validator'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { z } from 'zod'

/** The deadline every platform is given, so /slow times out the same way on all three. */
export const timeoutMs = 1_000
export const marginMs = 500

const Order = z.object({ sku: z.string().min(1), quantity: z.number().int().positive() })

const routes = router<APIGatewayProxyEventV2>()
  .get('/orders/{id}', async (event) => {
    if (event.pathParameters.id === 'missing') throw new NotFound('No such order')
    return {
      statusCode: 200,
      // Header values travel as bytes: a non-ASCII id is sent percent-encoded.
      headers: { 'x-order': encodeURIComponent(event.pathParameters.id) },
      body: JSON.stringify({ id: event.pathParameters.id, query: event.queryStringParameters ?? {} }),
    }
  })
  .post('/orders', [validator({ body: Order })], async (event) => ({
    statusCode: 201,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ created: event.body }),
  }))
  .put('/files/{name}', async (event) => {
    const bytes = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8')
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/octet-stream', 'x-received': String(bytes.length) },
      body: Buffer.from(bytes.reverse()).toString('base64'),
      isBase64Encoded: true,
    }
  })
  .get('/cookies', async (event) => ({
    statusCode: 200,
    cookies: ['session=abc; Path=/; HttpOnly; Secure; SameSite=Lax', 'theme=dark; Max-Age=3600'],
    body: JSON.stringify({ cookies: event.cookies ?? [], agent: event.headers['x-agent'] ?? null }),
  }))
  .get('/boom', async () => {
    throw new Error('connection to db://admin:hunter2@10.0.0.5 refused')
  })
  .get('/slow', async (_event, _context, { signal }) => {
    await sleep(60_000, undefined, { signal })
    return { statusCode: 200, body: 'too late' }
  })

export const handler = wrap<APIGatewayProxyEventV2>()
  .use(timeoutGuard({ marginMs }))
  .use(cors({ origins: ['https://app.example'] }))
  .use(errorMapper())
  .handler(routes)
