// Runs the orders API locally on sample requests and prints each response. Powertools' JSON log
// lines and EMF metric documents appear on stdout too, as they would in CloudWatch.
import { createContext, events, setLambdaEnvironment } from '@lamina/testing'

// The variables Lambda sets (on-demand initialisation, so the first line says cold_start: true),
// except AWS_EXECUTION_ENV: outside AWS the example reads its secret from secrets.local.json.
// Powertools reads them when the logger is created: set them before the handler loads.
setLambdaEnvironment({
  AWS_LAMBDA_FUNCTION_NAME: 'orders-api',
  POWERTOOLS_SERVICE_NAME: 'orders-api',
  AWS_EXECUTION_ENV: undefined,
})
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
