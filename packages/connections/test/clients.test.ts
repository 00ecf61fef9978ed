import { type Middleware, wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { clients } from '../src/index.ts'

class FakeDatabaseClient {
  static created = 0
  readonly serial = ++FakeDatabaseClient.created
  closed = false
}

/** A handler that reads context.clients.<name> and answers with it. */
const reading = (middleware: Middleware<any>, name: string) =>
  wrap<unknown>()
    .use(middleware)
    .handler(async (_event, context) => (context as unknown as { clients: Record<string, unknown> }).clients[name])

const invoke = (handler: (event: unknown, context: any) => Promise<unknown>) => handler({}, createContext())

describe('clients()', () => {
  it('creates a client on first read only, then hands the same one to every invocation', async () => {
    // Prepare
    const factory = vi.fn(() => new FakeDatabaseClient())
    const unused = vi.fn(() => new FakeDatabaseClient())
    const handler = reading(clients({ db: factory, unused }), 'db')
    // Act
    const sequential = []
    for (let index = 0; index < 100; index++) sequential.push(await invoke(handler))
    const concurrent = await Promise.all(Array.from({ length: 100 }, () => invoke(handler)))
    // Assess
    expect(factory).toHaveBeenCalledTimes(1)
    expect(unused).not.toHaveBeenCalled()
    expect(new Set([...sequential, ...concurrent]).size).toBe(1)
  })

  it('runs an async factory once for 100 invocations asking at the same moment', async () => {
    // Prepare: the factory's promise stays pending until all 100 invocations have read the client.
    let release: () => void = () => undefined
    const allAsked = new Promise<void>((resolve) => {
      release = resolve
    })
    let asked = 0
    const factory = vi.fn(async () => {
      await allAsked
      return new FakeDatabaseClient()
    })
    const handler = wrap<unknown>()
      .use(clients({ db: factory }))
      .handler(async (_event, context) => {
        const pending = context.clients.db
        if (++asked === 100) release()
        return await pending
      })
    // Act
    const seen = await Promise.all(Array.from({ length: 100 }, () => invoke(handler)))
    // Assess
    expect(factory).toHaveBeenCalledTimes(1)
    expect(new Set(seen).size).toBe(1)
  })

  it('does not cache a factory that throws: the next use tries again', async () => {
    // Prepare
    let attempts = 0
    const handler = reading(
      clients({
        db: () => {
          if (++attempts === 1) throw new Error('network unreachable')
          return new FakeDatabaseClient()
        },
      }),
      'db',
    )
    // Act
    const first = await invoke(handler).catch((error: Error) => error)
    const second = await invoke(handler)
    // Assess
    expect(first).toBeInstanceOf(Error)
    expect(second).toBeInstanceOf(FakeDatabaseClient)
    expect(attempts).toBe(2)
  })

  it('does not cache a rejected async factory, and leaves no unhandled rejection', async () => {
    // Prepare: the first creation is rejected by the test, after an invocation read it and left.
    let attempts = 0
    let refuse: (error: Error) => void = () => undefined
    const firstCreation = new Promise<FakeDatabaseClient>((_resolve, reject) => {
      refuse = reject
    })
    const middleware = clients({
      db: () => (++attempts === 1 ? firstCreation : Promise.resolve(new FakeDatabaseClient())),
    })
    const ignoring = wrap<unknown>()
      .use(middleware)
      .handler(async (_event, context) => void context.clients.db)
    const awaiting = wrap<unknown>()
      .use(middleware)
      .handler(async (_event, context) => await context.clients.db)
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      // Act
      await invoke(ignoring)
      refuse(new Error('pool refused'))
      // The middleware's handler was attached first, so it has run once this one has.
      await firstCreation.catch(() => undefined)
      const next = await invoke(awaiting)
      // Unhandled rejections are reported once the microtasks of a turn are done: wait one turn.
      await new Promise((resolve) => setImmediate(resolve))
      // Assess
      expect(next).toBeInstanceOf(FakeDatabaseClient)
      expect(attempts).toBe(2)
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('hands a rejected creation to the invocations that await it', async () => {
    // Prepare
    const handler = wrap<unknown>()
      .use(clients({ db: async () => Promise.reject(new Error('pool refused')) }))
      .handler(async (_event, context) => await context.clients.db)
    // Act
    const error = await invoke(handler).catch((thrown: Error) => thrown)
    // Assess
    expect(error).toMatchObject({ message: 'pool refused' })
  })

  it('invalidate() makes the next use create a fresh client and disposes the old one', async () => {
    // Prepare
    const disposed: FakeDatabaseClient[] = []
    const handler = wrap<unknown>()
      .use(clients({ db: { create: () => new FakeDatabaseClient(), dispose: (client) => void disposed.push(client) } }))
      .handler(async (event: unknown, context) => {
        const client = context.clients.db
        if (event === 'broken') context.clients.invalidate('db', client)
        return client
      })
    // Act
    const broken = await handler('broken', createContext())
    const fresh = await handler('fine', createContext())
    const again = await handler('fine', createContext())
    // Assess
    expect(fresh).not.toBe(broken)
    expect(again).toBe(fresh)
    expect(disposed).toEqual([broken])
  })

  it('keeps the fresh client when a second invocation invalidates the one it saw fail', async () => {
    // Prepare
    const middleware = clients({ db: () => new FakeDatabaseClient() })
    let seen: { clients: { db: FakeDatabaseClient; invalidate(name: 'db', failed?: unknown): void } } | undefined
    await wrap<unknown>()
      .use(middleware)
      .handler(async (_event, context) => {
        seen = context
      })({}, createContext())
    const failed = seen!.clients.db
    // Act
    seen!.clients.invalidate('db', failed)
    const replacement = seen!.clients.db
    seen!.clients.invalidate('db', failed)
    // Assess
    expect(replacement).not.toBe(failed)
    expect(seen!.clients.db).toBe(replacement)
  })

  it('invalidates an async client by its promise or by what it resolved to', async () => {
    // Prepare
    const disposed: unknown[] = []
    const handler = wrap<unknown>()
      .use(
        clients({
          db: {
            create: async () => new FakeDatabaseClient(),
            dispose: async (client) => {
              disposed.push(client)
              throw new Error('already closed')
            },
          },
        }),
      )
      .handler(async (event: unknown, context) => {
        const pending = context.clients.db
        const client = await pending
        if (event === 'by-value') context.clients.invalidate('db', client)
        if (event === 'by-promise') context.clients.invalidate('db', pending)
        if (event === 'always') context.clients.invalidate('db')
        return client
      })
    // Act
    const first = await handler('by-value', createContext())
    const second = await handler('by-promise', createContext())
    const third = await handler('always', createContext())
    const fourth = await handler('keep', createContext())
    // Assess
    expect(new Set([first, second, third, fourth]).size).toBe(4)
    expect(disposed).toEqual([first, second, third])
  })

  it('ignores invalidating a client never created, or one whose dispose throws', async () => {
    // Prepare
    const handler = wrap<unknown>()
      .use(
        clients({
          db: {
            create: () => new FakeDatabaseClient(),
            dispose: () => {
              throw new Error('socket already gone')
            },
          },
          cache: () => new FakeDatabaseClient(),
        }),
      )
      .handler(async (_event, context) => {
        context.clients.invalidate('cache')
        const client = context.clients.db
        context.clients.invalidate('db')
        return [client, context.clients.db]
      })
    // Act
    const [before, after] = await handler({}, createContext())
    // Assess
    expect(after).not.toBe(before)
  })

  it('refuses to invalidate an unknown client', async () => {
    // Prepare
    const handler = wrap<unknown>()
      .use(clients({ db: () => 1 }))
      .handler(async (_event, context) => (context.clients.invalidate as (name: string) => void)('dbb'))
    // Act
    const error = await handler({}, createContext()).catch((thrown: Error) => thrown)
    // Assess
    expect((error as Error).message).toBe('context.clients.invalidate("dbb"): no such client; known: db.')
  })

  it('serialising the context creates no client', async () => {
    // Prepare
    const factory = vi.fn(() => new FakeDatabaseClient())
    const handler = wrap<unknown>()
      .use(clients({ db: factory }))
      .handler(async (_event, context) => JSON.stringify(context))
    // Act
    await handler({}, createContext())
    // Assess
    expect(factory).not.toHaveBeenCalled()
  })
})

describe('callbackWaitsForEmptyEventLoop', () => {
  const flagAfter = async (options?: Parameters<typeof clients>[1]) => {
    const context = createContext()
    await wrap<unknown>()
      .use(clients({ db: () => 1 }, options))
      .handler(async () => undefined)({}, context)
    return context.callbackWaitsForEmptyEventLoop
  }

  it('is set to false by default, so open sockets never hold the response', async () => {
    expect(await flagAfter()).toBe(false)
  })

  it('takes the value given, or leaves the context alone with null', async () => {
    expect(await flagAfter({ callbackWaitsForEmptyEventLoop: true })).toBe(true)
    expect(await flagAfter({ callbackWaitsForEmptyEventLoop: null })).toBe(true)
  })
})

describe('argument checks', () => {
  it('refuses what is not a factory, saying what to write', () => {
    expect(() => clients({})).toThrow('takes at least one factory')
    expect(() => clients(null as never)).toThrow('takes at least one factory')
    expect(() => clients({ invalidate: () => 1 })).toThrow('"invalidate" is a reserved name')
    expect(() => clients({ db: 42 as never })).toThrow('"db" must be a factory like () => new S3Client()')
    expect(() => clients({ db: { dispose: () => 1 } as never })).toThrow('must be a factory')
  })

  it('accepts any other name and hands back what its factory made', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 20 }).filter((name) => name !== 'invalidate' && name !== '__proto__'),
        fc.anything(),
        async (name, made) => {
          const handler = reading(clients({ [name]: () => made }), name)
          expect(await invoke(handler)).toBe(made)
        },
      ),
      { numRuns: 50 },
    )
  })
})
