// `npm start`: runs the example function through the engine with a few sample events and
// prints what each returns. No AWS account needed.
import { createContext, events } from '@lamina/testing'
import { handler } from './handler.js'

const samples = [
  ['GET / (no name)', events.apiGatewayV2({ path: '/' })],
  ['GET /?name=Ada', events.apiGatewayV2({ path: '/', query: { name: 'Ada' } })],
  ['GET /?name=<65 chars>', events.apiGatewayV2({ path: '/', query: { name: 'x'.repeat(65) } })],
] as const

for (const [label, event] of samples) {
  const response = await handler(event, createContext({ functionName: 'hello' }))
  console.log(`${label}\n  → ${JSON.stringify(response)}`)
}
