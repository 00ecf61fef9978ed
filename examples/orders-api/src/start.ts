// Runs the orders API locally on sample requests and prints each response. Powertools' JSON log
// lines and EMF metric documents appear on stdout too, as they would in CloudWatch.
import { createContext, events } from '@lamina/testing'

// Powertools reads the service name when the logger is created: set it before the handler loads.
process.env.POWERTOOLS_SERVICE_NAME ??= 'orders-api'
const { handler } = await import('./handler.js')

const samples = [
  [
    'POST /orders (valid)',
    events.apiGatewayV2({ method: 'POST', path: '/orders', body: { sku: 'lamina-mug', quantity: 3 } }),
  ],
  [
    'POST /orders (unknown sku)',
    events.apiGatewayV2({ method: 'POST', path: '/orders', body: { sku: 'nope', quantity: 1 } }),
  ],
  ['POST /orders (invalid body)', events.apiGatewayV2({ method: 'POST', path: '/orders', body: { quantity: -1 } })],
  [
    'POST /orders (malformed JSON)',
    events.apiGatewayV2({
      method: 'POST',
      path: '/orders',
      body: '{"sku":',
      headers: { 'content-type': 'application/json' },
    }),
  ],
] as const

for (const [label, event] of samples) {
  const response = await handler(event, createContext({ functionName: 'orders-api' }))
  console.log(`${label}\n  → ${response.statusCode} ${response.body}`)
}
