import { type Middleware, wrap } from '@lamina/core'
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'

/** Reads `?name=` into the event; its `~lamina` flow tells the handler the new field's type. */
const greetingName = (): Middleware<{ event: { name: string } }> => ({
  name: 'greeting-name',
  before(request) {
    request.event.name = request.event.queryStringParameters?.name ?? 'world'
  },
})

/** Adds a response header on the way out. */
const poweredBy: Middleware = {
  name: 'powered-by',
  after(request) {
    request.response.headers = { ...request.response.headers, 'x-powered-by': 'lamina' }
  },
}

export const handler = wrap<APIGatewayProxyEventV2>()
  .use(poweredBy)
  .use(greetingName())
  .handler(async (event): Promise<APIGatewayProxyStructuredResultV2> => {
    if (event.name.length > 64) return { statusCode: 400, body: JSON.stringify({ message: 'name is too long' }) }
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: `hello, ${event.name}` }),
    }
  })
