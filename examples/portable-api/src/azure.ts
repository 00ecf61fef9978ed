// Azure Functions (Node.js programming model v4): package.json's "main" points the host here.
import { app } from '@azure/functions'
import { toAzure } from '@lamina/azure'
import { handler, timeoutMs } from './app.js'

app.http('orders', {
  // Every path and method goes to the router; host.json sets routePrefix to "" so paths are as on Lambda.
  route: '{*path}',
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
  authLevel: 'anonymous',
  handler: toAzure(handler, { timeoutMs }),
})
