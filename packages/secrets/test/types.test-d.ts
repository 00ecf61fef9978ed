import { type Context, type Middleware, wrap } from '@lamina/core'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { type RedactOption, type SecretValues, secrets } from '../src/index.ts'

const DbCreds = z.object({ username: z.string(), password: z.string(), port: z.number() })

describe('secrets() types', () => {
  it('types each secret: string by default, the schema output, an object for json, bytes for binary', () => {
    wrap<{ id: string }>()
      .use(
        secrets({
          db: { id: 'prod/db', schema: DbCreds },
          apiKey: 'prod/api-key',
          config: { id: 'prod/config', json: true },
          cert: { id: 'prod/cert', binary: true },
          previous: { id: 'prod/api-key', versionStage: 'AWSPREVIOUS' },
        }),
      )
      .handler(async (event, context) => {
        expectTypeOf(context.secrets.db).toEqualTypeOf<z.output<typeof DbCreds>>()
        expectTypeOf(context.secrets.db.port).toEqualTypeOf<number>()
        expectTypeOf(context.secrets.apiKey).toEqualTypeOf<string>()
        expectTypeOf(context.secrets.config).toEqualTypeOf<Record<string, unknown>>()
        expectTypeOf(context.secrets.cert).toEqualTypeOf<Uint8Array>()
        expectTypeOf(context.secrets.previous).toEqualTypeOf<string>()
        expectTypeOf(context.secrets.refresh)
          .parameter(0)
          .toEqualTypeOf<'db' | 'apiKey' | 'config' | 'cert' | 'previous'>()
        expectTypeOf(context.awsRequestId).toEqualTypeOf<string>()
        expectTypeOf(event.id).toEqualTypeOf<string>()
        // @ts-expect-error an unknown secret name is a compile error
        context.secrets.dbb
        // @ts-expect-error refresh only takes declared names
        await context.secrets.refresh('nope')
        // @ts-expect-error values are read-only
        context.secrets.apiKey = 'x'
        // @ts-expect-error the schema output has no such field
        context.secrets.db.host
      })
  })

  it('returns a Middleware that adds context.secrets, usable handler-first with SecretValues', () => {
    const specs = { apiKey: 'prod/api-key' } as const
    const middleware = secrets(specs)
    expectTypeOf(middleware).toEqualTypeOf<Middleware<{ context: { secrets: SecretValues<typeof specs> } }>>()
    wrap(async (_event: unknown, context: Context & { secrets: SecretValues<typeof specs> }) => {
      expectTypeOf(context.secrets.apiKey).toEqualTypeOf<string>()
    }).use(middleware)
  })

  it('types redact: a list of paths or all, without changing the value type', () => {
    const middleware = secrets({
      db: { id: 'prod/db', schema: DbCreds, redact: ['password', 'oauth.refresh'] },
      everything: { id: 'prod/all', json: true, redact: 'all' },
      reviewed: { id: 'prod/flags', json: true, redact: [] },
    })
    wrap<unknown>()
      .use(middleware)
      .handler(async (_event, context) => {
        expectTypeOf(context.secrets.db).toEqualTypeOf<z.output<typeof DbCreds>>()
        expectTypeOf(context.secrets.everything).toEqualTypeOf<Record<string, unknown>>()
      })
    const paths: readonly string[] = ['password']
    secrets({ db: { id: 'prod/db', redact: paths } })
    expectTypeOf<RedactOption>().toEqualTypeOf<'all' | readonly string[]>()
    // @ts-expect-error redact takes 'all' or a list, not one path
    secrets({ db: { id: 'prod/db', redact: 'password' } })
    // @ts-expect-error paths are strings
    secrets({ db: { id: 'prod/db', redact: [1] } })
    // @ts-expect-error 'all' is the only word
    secrets({ db: { id: 'prod/db', redact: 'everything' } })
  })

  it('rejects what is not a secret definition', () => {
    // @ts-expect-error an id is required
    secrets({ db: { schema: DbCreds } })
    // @ts-expect-error a schema must be a Standard Schema
    secrets({ db: { id: 'prod/db', schema: { parse: () => 1 } } })
    // @ts-expect-error ttlMs is a number
    secrets({ a: 'x' }, { ttlMs: '5m' })
  })
})
