import { wrap } from '@lamina/core'
import { secrets } from '@lamina/secrets'
import { createContext } from '@lamina/testing'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type SecretsManagerServer, startSecretsManagerServer } from '../support/secrets-manager-server.ts'

// Proofs on the wire: the real @aws-sdk/client-secrets-manager client (inside @lamina/secrets,
// and inside Powertools' getSecret) against a Secrets Manager-compatible endpoint on 127.0.0.1.
// Every assertion is a count of GetSecretValue requests the server received.
let server: SecretsManagerServer
let restoreEnvironment: () => void
let secretNumber = 0
const freshSecret = (value: string) => {
  const id = `proof/secret-${++secretNumber}`
  server.setSecret(id, value)
  return id
}

beforeAll(async () => {
  server = await startSecretsManagerServer()
  // Powertools' getSecret builds its own SDK client: it finds the endpoint the way users set it.
  const previous = { ...process.env }
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  })
  restoreEnvironment = () => {
    for (const key of Object.keys(process.env)) if (!(key in previous)) delete process.env[key]
    Object.assign(process.env, previous)
  }
})
afterAll(async () => {
  restoreEnvironment()
  await server.close()
})

const readsSecret = (id: string, options = {}) =>
  wrap<unknown>()
    .use(secrets({ value: id }, options))
    .handler(async (_event, context) => context.secrets.value)

const invokeMany = (handler: (event: unknown, context: any) => Promise<string>, count: number) =>
  Promise.all(Array.from({ length: count }, () => handler({}, createContext())))

describe('@lamina/secrets on the real SDK client', () => {
  it('100 concurrent invocations missing the cache make exactly 1 GetSecretValue', async () => {
    // Prepare
    const id = freshSecret('concurrent-value')
    const handler = readsSecret(id)
    // Act
    const values = await invokeMany(handler, 100)
    // Assess
    expect(values).toEqual(Array(100).fill('concurrent-value'))
    expect(server.callsFor(id)).toBe(1)
  })

  it('Powertools getSecret, side by side, makes one request per concurrent miss', async () => {
    // Prepare
    const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets')
    const id = freshSecret('powertools-value')
    const handler = wrap(async () => getSecret(id))
    // Act
    const values = await invokeMany(handler as never, 100)
    // Assess: its cache is written after the await, so every concurrent miss fetches.
    expect(values).toEqual(Array(100).fill('powertools-value'))
    expect(server.callsFor(id)).toBeGreaterThan(1)
    console.info(`[proof] 100 concurrent misses: Lamina 1 GetSecretValue, Powertools ${server.callsFor(id)}`)
  })

  it('after the TTL, one refetch however many invocations ask', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      const id = freshSecret('before-ttl')
      const handler = readsSecret(id, { ttlMs: 1_000, staleWhileRevalidateMs: 0 })
      await invokeMany(handler, 10)
      server.setSecret(id, 'after-ttl')
      vi.setSystemTime(Date.now() + 1_000)
      // Act
      const values = await invokeMany(handler, 50)
      // Assess
      expect(new Set(values)).toEqual(new Set(['after-ttl']))
      expect(server.callsFor(id)).toBe(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('throttling and 500s are retried by the SDK inside the one shared fetch', async () => {
    // Prepare
    const id = freshSecret('after-retries')
    server.injectFaults({ kind: 'throttle' }, { kind: 'internal' })
    const handler = readsSecret(id)
    // Act
    const values = await invokeMany(handler, 20)
    // Assess: 3 attempts for 20 invocations.
    expect(new Set(values)).toEqual(new Set(['after-retries']))
    expect(server.callsFor(id)).toBe(3)
  })

  it('a connection reset is retried on a new connection', async () => {
    // Prepare
    const id = freshSecret('after-reset')
    server.injectFaults({ kind: 'reset' })
    const handler = readsSecret(id)
    // Act
    const values = await invokeMany(handler, 5)
    // Assess
    expect(new Set(values)).toEqual(new Set(['after-reset']))
    expect(server.callsFor(id)).toBe(2)
  })

  it('a stale value is served when every attempt fails, with one warning', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] })
    const warnings: string[] = []
    try {
      const id = freshSecret('stale-but-served')
      const handler = readsSecret(id, {
        ttlMs: 1_000,
        staleWhileRevalidateMs: 0,
        staleIfErrorMs: 60_000,
        logger: { warn: (message: string) => warnings.push(message) },
      })
      await handler({}, createContext())
      server.failAlways({ kind: 'internal' })
      vi.setSystemTime(Date.now() + 5_000)
      // Act
      const values = await invokeMany(handler, 10)
      // Assess: one shared fetch of 3 attempts, then the stale value for all 10.
      expect(new Set(values)).toEqual(new Set(['stale-but-served']))
      expect(server.callsFor(id)).toBe(1 + 3)
      expect(warnings).toHaveLength(1)
    } finally {
      server.failAlways(undefined)
      vi.useRealTimers()
    }
  })

  it('versionStage is part of the cache key', async () => {
    // Prepare
    const id = freshSecret('current-value')
    server.setSecret(id, 'previous-value', { stages: ['AWSPREVIOUS'] })
    const handler = wrap<unknown>()
      .use(secrets({ current: id, previous: { id, versionStage: 'AWSPREVIOUS' } }))
      .handler(async (_event, context) => [context.secrets.current, context.secrets.previous])
    // Act
    const results = await Promise.all(Array.from({ length: 10 }, () => handler({}, createContext())))
    // Assess
    expect(new Set(results.map((pair) => pair.join('|')))).toEqual(new Set(['current-value|previous-value']))
    expect(
      server.calls
        .filter((call) => call.secretId === id)
        .map((call) => call.versionStage ?? 'AWSCURRENT')
        .sort(),
    ).toEqual(['AWSCURRENT', 'AWSPREVIOUS'])
  })
})
