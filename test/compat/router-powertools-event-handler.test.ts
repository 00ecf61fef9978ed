// Powertools' Event Handler Router, for teams that already use it, runs inside wrap() unchanged:
// the same events give the same answers as app.resolve() called directly, its own CORS and error
// handlers included, with Lamina middlewares around it.

import { NotFoundError, Router } from '@aws-lambda-powertools/event-handler/http'
import { cors } from '@aws-lambda-powertools/event-handler/http/middleware'
import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { createContext, type HttpAnswer, type HttpRequestInput, httpSources } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import type { Context } from 'aws-lambda'
import { describe, expect, it } from 'vitest'

const origin = 'https://app.example'

function todoApp(seen: string[]) {
  const app = new Router()
  app.use(cors({ origin, allowHeaders: ['content-type'] }))
  app.get('/todos', async () => [{ id: '1', title: 'write tests' }])
  app.get('/todos/:todoId', async ({ params }) => {
    seen.push(params.todoId as string)
    if (params.todoId === 'gone') throw new NotFoundError(`todo ${params.todoId} not found`)
    return { id: params.todoId, title: 'a todo' }
  })
  app.post('/todos', async ({ req }) => {
    const body = (await req.json()) as { title: string }
    return { id: '2', title: body.title }
  })
  return app
}

// What a caller of the Lambda sees, without the parts that differ per call (request ids).
const visible = (answer: HttpAnswer) => ({
  statusCode: answer.statusCode,
  body: answer.body,
  headers: answer.headers,
  multiValueHeaders: answer.multiValueHeaders,
})

describe.each(httpSources)('Powertools Router inside wrap(), on $name', ({ factory }) => {
  const requests: HttpRequestInput[] = [
    { method: 'GET', path: '/todos', headers: { origin } },
    { method: 'GET', path: '/todos/42', headers: { origin } },
    { method: 'GET', path: '/todos/gone', headers: { origin } },
    { method: 'POST', path: '/todos', body: { title: 'ship it' }, headers: { origin } },
    { method: 'GET', path: '/nowhere', headers: { origin } },
    { method: 'OPTIONS', path: '/todos', headers: { origin, 'access-control-request-method': 'POST' } },
  ]

  it.each(requests)('answers $method $path as app.resolve() does when called directly', async (request) => {
    // Prepare
    const direct = todoApp([])
    const seen: string[] = []
    const wrapped = todoApp(seen)
    const handler = wrap(async (event: unknown, context: Context) => wrapped.resolve(event, context))
      .use(timeoutGuard())
      .use(errorMapper())
    // Act
    const expected = (await direct.resolve(factory(request), createContext())) as HttpAnswer
    const actual = (await handler(factory(request), createContext())) as HttpAnswer
    // Assess
    expect(visible(actual)).toEqual(visible(expected))
    const path = request.path ?? '/'
    expect(seen).toEqual(path.startsWith('/todos/') ? [path.slice('/todos/'.length)] : [])
  })

  it('serves a route with its params and its CORS headers', async () => {
    const handler = wrap<unknown, Context>()
      .use(errorMapper())
      .handler((event, context) => todoApp([]).resolve(event, context))
    const answer = (await handler(factory({ path: '/todos/7', headers: { origin } }), createContext())) as HttpAnswer
    expect(answer.statusCode).toBe(200)
    expect(JSON.parse(answer.body)).toEqual({ id: '7', title: 'a todo' })
    expect(
      answer.headers?.['access-control-allow-origin'] ?? answer.multiValueHeaders?.['access-control-allow-origin']?.[0],
    ).toBe(origin)
  })
})
