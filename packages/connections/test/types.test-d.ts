import { wrap } from '@lamina/core'
import { fetch as undiciFetch } from 'undici'
import { describe, expectTypeOf, it } from 'vitest'
import { clients, keepAliveAgents, tracedFetch } from '../src/index.ts'

class S3Like {
  send(command: string): Promise<string> {
    return Promise.resolve(command)
  }
}
interface Pool {
  query(sql: string): Promise<unknown[]>
}
declare function connectPool(): Promise<Pool>

describe('clients() types', () => {
  it("types context.clients.<name> by the factory's return type", () => {
    wrap<{ key: string }>()
      .use(clients({ s3: () => new S3Like(), pool: connectPool, cache: { create: () => new Map<string, number>() } }))
      .handler(async (event, context) => {
        expectTypeOf(context.clients.s3).toEqualTypeOf<S3Like>()
        expectTypeOf(context.clients.pool).toEqualTypeOf<Promise<Pool>>()
        expectTypeOf(await context.clients.pool).toEqualTypeOf<Pool>()
        expectTypeOf(context.clients.cache).toEqualTypeOf<Map<string, number>>()
        expectTypeOf(context.clients.invalidate).parameter(0).toEqualTypeOf<'s3' | 'pool' | 'cache'>()
        expectTypeOf(event.key).toEqualTypeOf<string>()
        // @ts-expect-error an unknown client is a compile error
        context.clients.dynamo
        // @ts-expect-error invalidate only takes declared names
        context.clients.invalidate('dynamo')
        // @ts-expect-error the client's own API is checked
        context.clients.s3.sendd('x')
        // @ts-expect-error clients are read-only
        context.clients.s3 = new S3Like()
      })
  })

  it('types dispose with the awaited client, and rejects what is not a factory', () => {
    clients({
      pool: {
        create: connectPool,
        dispose: (pool) => {
          expectTypeOf(pool).toEqualTypeOf<Pool>()
        },
      },
    })
    // @ts-expect-error a client is a factory, not an instance
    clients({ s3: new S3Like() })
    // @ts-expect-error the flag is a boolean (or null)
    clients({ s3: () => new S3Like() }, { callbackWaitsForEmptyEventLoop: 'no' })
  })

  it("passes the dispatcher to Node's global fetch and to undici's without a cast", () => {
    const agents = keepAliveAgents()
    fetch('https://example.com', { dispatcher: agents.dispatcher })
    undiciFetch('https://example.com', { dispatcher: agents.dispatcher })
    // @ts-expect-error the request handler is not a dispatcher
    fetch('https://example.com', { dispatcher: agents.requestHandler })
  })

  it('exposes the adapters with their own types', () => {
    const agents = keepAliveAgents()
    expectTypeOf(agents.requestHandler.handle).toBeFunction()
    expectTypeOf(agents.dispatcher.dispatch).toBeFunction()
    expectTypeOf(agents.destroy).returns.toEqualTypeOf<Promise<void>>()
    // @ts-expect-error maxSockets is a number
    keepAliveAgents({ maxSockets: 'many' })
  })
})

describe('tracedFetch types', () => {
  it('is a fetch, as a clients() factory hands it to the handler', () => {
    const agents = keepAliveAgents()
    expectTypeOf(tracedFetch()).toEqualTypeOf<typeof fetch>()
    wrap<object>()
      .use(clients({ http: () => tracedFetch({ dispatcher: agents.dispatcher }) }))
      .handler(async (_, context) => {
        expectTypeOf(context.clients.http).toEqualTypeOf<typeof fetch>()
        expectTypeOf(context.clients.http('https://example.com')).resolves.toEqualTypeOf<Response>()
      })
    // @ts-expect-error the fetch to call must be a fetch
    tracedFetch({ fetch: 'https://example.com' })
  })
})
