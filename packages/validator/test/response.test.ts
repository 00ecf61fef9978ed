import { type Middleware, wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { createContext, events, httpSources } from '@lamina/testing'
import { ValidationError, validator } from '@lamina/validator'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

const Reply = z.object({
  statusCode: z.number(),
  body: z.string(),
  headers: z.record(z.string(), z.string()).default({ 'content-type': 'application/json' }),
})

/** Records the error the onError chain saw before errorMapper answered. */
function errorSpy() {
  const errors: unknown[] = []
  const middleware: Middleware = {
    name: 'spy',
    onError(request) {
      errors.push(request.error)
    },
  }
  return { errors, middleware }
}

describe('response validation', () => {
  it('replaces the response with the schema output', async () => {
    const handler = wrap<unknown>()
      .use(errorMapper())
      .use(validator({ response: Reply }))
      .handler(async () => ({ statusCode: 201, body: '{}', internalNote: 'strip me' }))
    const response = await handler(events.apiGatewayV2(), createContext())
    expect(response).toEqual({ statusCode: 201, body: '{}', headers: { 'content-type': 'application/json' } })
  })

  it.each(httpSources)(
    'turns a response that fails into a 500 that says nothing of the schema on $name',
    async ({ factory }) => {
      // Prepare
      const spy = errorSpy()
      const context = createContext()
      const handler = wrap<unknown>()
        .use(errorMapper())
        .use(spy.middleware)
        .use(validator({ response: Reply }))
        .handler(async () => ({ statusCode: '200', body: { secretColumn: 'db-row-42' } }))
      // Act
      const response = (await handler(factory(), context)) as unknown as { statusCode: number; body: string }
      // Assess: the client gets a generic 500 and the request id...
      expect(response.statusCode).toBe(500)
      expect(JSON.parse(response.body)).toEqual({ message: 'Internal Server Error', requestId: context.awsRequestId })
      expect(response.body).not.toMatch(/statusCode|secretColumn|db-row-42|schema/)
      // ...and the details stay on the error, for the logs.
      const error = spy.errors[0] as ValidationError
      expect(error).toBeInstanceOf(ValidationError)
      expect(error).toMatchObject({ statusCode: 500, expose: false, parts: ['response'] })
      expect(error.issues.map((issue) => issue.path)).toEqual([['statusCode'], ['body']])
    },
  )

  it('works with async response schemas', async () => {
    const AsyncReply = Reply.refine(async (reply) => reply.statusCode < 300, 'not a success')
    const handler = wrap<unknown>()
      .use(errorMapper())
      .use(validator({ response: AsyncReply }))
      .handler(async () => ({ statusCode: 404, body: '{}' }))
    const response = (await handler(events.apiGatewayV2(), createContext())) as { statusCode: number }
    expect(response.statusCode).toBe(500)
  })
})
