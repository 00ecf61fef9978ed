// The books API: one Lambda function serving every route of one resource behind an HTTP API.
// Router-wide middlewares in Lamina's one order (timeoutGuard → cors → errorMapper →
// observability → clients); each route adds its own (the API key check on writes, validation).

import type { Logger } from '@aws-lambda-powertools/logger'
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { type Clients, clients, keepAliveAgents } from '@lamina/connections'
import { type Context, wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { observability } from '@lamina/observability'
import { cors, router } from '@lamina/router'
import { secrets } from '@lamina/secrets'
import { timeoutGuard } from '@lamina/timeout'
import { validator } from '@lamina/validator'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { ApiKeySecret, requireApiKey } from './api-key.js'
import { ListQuery } from './books/cursor.js'
import { BookPath, BookUpdate, NewBook } from './books/schema.js'
import { booksTable } from './books/store.js'

function setting(name: string): string {
  const value = process.env[name]
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: set it in the function's Environment (template.yaml passes it with !Ref).`)
  }
  return value
}

const tableName = setting('TABLE_NAME')
const apiKeySecretId = setting('API_KEY_SECRET_ID')
const origins = (process.env.ALLOWED_ORIGINS ?? '*').split(',').map((origin) => origin.trim())

// One pool of keep-alive sockets for the container, shared by the DynamoDB and Secrets Manager clients.
const agents = keepAliveAgents({ requestTimeoutMs: 5000 })

// One instance, used by every write route: one cache, one fetch per TTL for all of them.
const apiKey = secrets(
  { api: { id: apiKeySecretId, schema: ApiKeySecret } },
  { prefetch: true, clientConfig: { requestHandler: agents.requestHandler } },
)

type ApiContext = Context & {
  logger: Logger
  metrics: Metrics
  clients: Clients<{ dynamo: DynamoDBDocumentClient }>
}

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}) => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

const books = (context: ApiContext, signal: AbortSignal) => booksTable(context.clients.dynamo, tableName, signal)

const app = router<APIGatewayProxyEventV2, ApiContext>()
  .post('/books', [apiKey, requireApiKey(), validator({ body: NewBook })], async (event, context, { signal }) => {
    const book = await books(context, signal).create(event.body)
    context.logger.info('book added', { isbn: book.isbn })
    context.metrics.addMetric('BooksAdded', MetricUnit.Count, 1)
    return json(201, book, { location: `/books/${book.isbn}` })
  })
  .get('/books', [validator({ query: ListQuery })], async (event, context, { signal }) => {
    const { limit, cursor } = event.queryStringParameters
    return json(200, await books(context, signal).list(limit, cursor))
  })
  .get('/books/{isbn}', [validator({ path: BookPath })], async (event, context, { signal }) =>
    json(200, await books(context, signal).get(event.pathParameters.isbn)),
  )
  .put(
    '/books/{isbn}',
    [apiKey, requireApiKey(), validator({ path: BookPath, body: BookUpdate })],
    async (event, context, { signal }) => {
      const book = await books(context, signal).update(event.pathParameters.isbn, event.body)
      context.logger.info('book changed', { isbn: book.isbn, version: book.version })
      return json(200, book)
    },
  )
  .delete(
    '/books/{isbn}',
    [apiKey, requireApiKey(), validator({ path: BookPath })],
    async (event, context, { signal }) => {
      await books(context, signal).remove(event.pathParameters.isbn)
      context.logger.info('book removed', { isbn: event.pathParameters.isbn })
      return { statusCode: 204, body: '' }
    },
  )

export const handler = wrap<APIGatewayProxyEventV2>()
  .use(timeoutGuard({ marginMs: 500 }))
  .use(cors({ origins: origins.length === 1 ? (origins[0] as string) : origins, exposeHeaders: ['location'] }))
  .use(errorMapper())
  // The key header is masked by path in a logged event (POWERTOOLS_LOGGER_LOG_EVENT=true): on a cold
  // start the event is logged before the secret is fetched, so masking by value alone would miss it.
  .use(observability({ logger: { redact: ['headers.x-api-key'] }, metrics: { namespace: 'lamina-examples' } }))
  .use(
    clients({
      dynamo: () =>
        DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: agents.requestHandler }), {
          marshallOptions: { removeUndefinedValues: true },
        }),
    }),
  )
  .handler(app)
