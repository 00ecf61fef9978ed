import { type Middleware, wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { createContext, httpEvents, httpSources } from '@lamina/testing'
import { ValidationError, validator } from '@lamina/validator'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

/**
 * Stands in for logging, tracing and metrics: records what its onError saw. Registered after
 * errorMapper, it must see the original error and no response yet.
 */
function observer() {
  const seen: { error: unknown; response: unknown }[] = []
  const middleware: Middleware = {
    name: 'observer',
    onError(request) {
      seen.push({ error: request.error, response: request.response })
    },
  }
  return { seen, middleware }
}

describe.each(httpSources)('errorMapper first in the chain on $name', ({ factory }) => {
  it('lets observers see the original error before it becomes a response', async () => {
    // Prepare
    const watch = observer()
    const failure = new Error('db connection refused at 10.0.0.5')
    const handler = wrap<unknown>()
      .use(errorMapper())
      .use(watch.middleware)
      .handler(async () => {
        throw failure
      })
    // Act
    const response = (await handler(factory(), createContext())) as { statusCode: number; body: string }
    // Assess: the observer saw the real error and no response; the client saw a generic 500.
    expect(watch.seen).toEqual([{ error: failure, response: undefined }])
    expect(response.statusCode).toBe(500)
    expect(response.body).not.toContain('10.0.0.5')
  })

  it('lets observers see a validation failure as the ValidationError with its issues', async () => {
    const watch = observer()
    const handler = wrap<unknown>()
      .use(errorMapper())
      .use(watch.middleware)
      .use(validator({ body: z.object({ email: z.email() }) }))
      .handler(async () => ({ statusCode: 200 }))
    const response = (await handler(factory({ body: { email: 'nope' } }), createContext())) as { statusCode: number }
    const seenError = watch.seen[0]?.error as ValidationError
    expect(seenError).toBeInstanceOf(ValidationError)
    expect(seenError.issues[0]?.path).toEqual(['body', 'email'])
    expect(watch.seen[0]?.response).toBeUndefined()
    expect(response.statusCode).toBe(400)
  })
})

describe.each(httpSources)('an observer that fails, registered after errorMapper, on $name', ({ factory }) => {
  it('does not take the answer away: the mapper still answers a generic 500 with the request id', async () => {
    // Prepare: an observer whose own onError throws (a broken log transport, say).
    const context = createContext()
    const handler = wrap<unknown>()
      .use(errorMapper())
      .use({
        name: 'broken-observer',
        onError() {
          throw new Error('log transport to 10.0.0.9 is down')
        },
      })
      .handler(async () => {
        throw new Error('db connection refused at 10.0.0.5')
      })
    // Act
    const response = (await handler(factory(), context)) as { statusCode: number; body: string }
    // Assess
    expect(response.statusCode).toBe(500)
    expect(JSON.parse(response.body)).toEqual({ message: 'Internal Server Error', requestId: context.awsRequestId })
  })
})

describe('errorMapper in the wrong place', () => {
  it('runs before observers registered ahead of it, which then find a response already set', async () => {
    // This is why the README says "first": onError runs in reverse, so a mapper added last
    // answers before the observers do, and an observer that skips handled errors misses it.
    const watch = observer()
    const handler = wrap<unknown>()
      .use(watch.middleware)
      .use(errorMapper())
      .handler(async () => {
        throw new Error('lost')
      })
    await handler(httpEvents.apiGatewayV2(), createContext())
    expect(watch.seen[0]?.response).toMatchObject({ statusCode: 500 })
    // The mapper sets the response without returning it, so the chain is not cut short and
    // the original error is still there.
    expect(watch.seen[0]?.error).toMatchObject({ message: 'lost' })
  })
})
