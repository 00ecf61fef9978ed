import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { SecretsUnavailableError, secrets } from '../src/index.ts'
import {
  deferred,
  exposeSecrets,
  run,
  type SecretsManagerServer,
  startSecretsManagerServer,
  warningCollector,
} from './support.ts'

// The real AWS SDK client against a local Secrets Manager endpoint; only Date is faked, so
// sockets and the SDK's retry delays run for real while the cache's clock is ours.
let server: SecretsManagerServer
const minute = 60_000
// A fresh secret id per test: a background fetch left over from one test never counts in another.
let token = ''
let testNumber = 0

beforeAll(async () => {
  server = await startSecretsManagerServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.resetCounters()
  server.failAlways(undefined)
  token = `app/token-${++testNumber}`
  server.setSecret(token, 'token-version-one')
  vi.useFakeTimers({ toFake: ['Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

const calls = () => server.callsFor(token)
const advance = (ms: number) => vi.setSystemTime(Date.now() + ms)
/**
 * Invokes until the background fetch's value is served: the fetch has no event of its own to
 * await. (vi.waitFor also moves the faked Date by its 10 ms interval: nothing next to minutes.)
 */
const newValueServed = (handler: Parameters<typeof run>[0]) =>
  vi.waitFor(
    async () => {
      const seen = (await run(handler)) as Record<string, unknown>
      expect(seen.token).toBe('token-version-two')
      return seen
    },
    { timeout: 10_000, interval: 10 },
  )

describe('cache', () => {
  it('serves later invocations from the cache until the TTL passes, then fetches once', async () => {
    // Prepare
    const handler = exposeSecrets(
      secrets({ token }, { endpoint: server.endpoint, ttlMs: minute, staleWhileRevalidateMs: 0 }),
    )
    // Act
    await run(handler)
    advance(minute - 1)
    const beforeExpiry = await run(handler)
    server.setSecret(token, 'token-version-two')
    advance(1)
    const results = await Promise.all([run(handler), run(handler), run(handler)])
    // Assess
    expect(beforeExpiry.token).toBe('token-version-one')
    expect(results.map((secretsSeen) => secretsSeen.token)).toEqual(Array(3).fill('token-version-two'))
    expect(calls()).toBe(2)
  })

  it('makes one GetSecretValue for 100 invocations that miss the cache at once', async () => {
    // Prepare
    const handler = exposeSecrets(secrets({ token }, { endpoint: server.endpoint }))
    // Act
    const results = await Promise.all(Array.from({ length: 100 }, () => run(handler)))
    // Assess
    expect(new Set(results.map((secretsSeen) => secretsSeen.token))).toEqual(new Set(['token-version-one']))
    expect(calls()).toBe(1)
  })

  it('keeps one cache per middleware instance', async () => {
    // Prepare
    const first = exposeSecrets(secrets({ token }, { endpoint: server.endpoint }))
    const second = exposeSecrets(secrets({ token }, { endpoint: server.endpoint }))
    // Act
    await Promise.all([run(first), run(first), run(second), run(second)])
    // Assess
    expect(calls()).toBe(2)
  })

  it('shares one fetch between two names for the same secret and version', async () => {
    // Prepare
    const handler = exposeSecrets(secrets({ a: token, b: { id: token } }, { endpoint: server.endpoint }))
    // Act
    const seen = await run(handler)
    // Assess
    expect([seen.a, seen.b]).toEqual(['token-version-one', 'token-version-one'])
    expect(calls()).toBe(1)
  })

  it('keys the cache by versionStage and versionId', async () => {
    // Prepare
    const firstVersion = server.setSecret(token, 'value-before-rotation')
    server.setSecret(token, 'value-after-rotation')
    server.setSecret(token, 'value-pending-rotation', { stages: ['AWSPENDING'] })
    const handler = exposeSecrets(
      secrets(
        {
          current: token,
          pending: { id: token, versionStage: 'AWSPENDING' },
          pinned: { id: token, versionId: firstVersion },
        },
        { endpoint: server.endpoint },
      ),
    )
    // Act
    const seen = await run(handler)
    await run(handler)
    // Assess
    expect([seen.current, seen.pending, seen.pinned]).toEqual([
      'value-after-rotation',
      'value-pending-rotation',
      'value-before-rotation',
    ])
    expect(
      server.calls.filter((call) => call.secretId === token).map((call) => [call.versionStage, call.versionId]),
    ).toEqual(
      expect.arrayContaining([
        [undefined, undefined],
        ['AWSPENDING', undefined],
        [undefined, firstVersion],
      ]),
    )
    expect(calls()).toBe(3)
  })
})

describe('stale-while-revalidate', () => {
  it('serves the old value after the TTL while exactly one background fetch runs', async () => {
    // Prepare
    const handler = exposeSecrets(
      secrets({ token }, { endpoint: server.endpoint, ttlMs: minute, staleWhileRevalidateMs: minute }),
    )
    await run(handler)
    server.setSecret(token, 'token-version-two')
    advance(minute + 1)
    const answer = deferred()
    server.injectFaults({ kind: 'held', until: answer.promise })
    // Act: 20 invocations while the background fetch is held, then the same once it has landed.
    const during = await Promise.all(Array.from({ length: 20 }, () => run(handler)))
    await server.received(token, 2)
    answer.resolve()
    const after = await newValueServed(handler)
    // Assess
    expect(new Set(during.map((seen) => seen.token))).toEqual(new Set(['token-version-one']))
    expect(after.token).toBe('token-version-two')
    expect(calls()).toBe(2)
  })

  it('waits for the new value past the window', async () => {
    // Prepare
    const handler = exposeSecrets(
      secrets({ token }, { endpoint: server.endpoint, ttlMs: minute, staleWhileRevalidateMs: minute }),
    )
    await run(handler)
    server.setSecret(token, 'token-version-two')
    advance(2 * minute)
    // Act
    const seen = await run(handler)
    // Assess
    expect(seen.token).toBe('token-version-two')
    expect(calls()).toBe(2)
  })

  it('keeps serving the old value when the background fetch fails, and says so once', async () => {
    // Prepare
    const { warnings, logger, received } = warningCollector()
    const handler = exposeSecrets(
      secrets({ token }, { endpoint: server.endpoint, ttlMs: minute, staleWhileRevalidateMs: minute, logger }),
    )
    await run(handler)
    server.failAlways({ kind: 'not-found' })
    advance(minute + 1)
    // Act: the warning is written when the background fetch fails.
    const during = await run(handler)
    await received(1)
    // Assess
    expect(during.token).toBe('token-version-one')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.details).toMatchObject({ secretId: token, error: 'ResourceNotFoundException' })
  })
})

describe('stale-if-error', () => {
  it('serves the stale value when fetching fails after the SDK retries, within staleIfErrorMs', async () => {
    // Prepare
    const { warnings, logger } = warningCollector()
    const handler = exposeSecrets(
      secrets(
        { token },
        { endpoint: server.endpoint, ttlMs: minute, staleWhileRevalidateMs: 0, staleIfErrorMs: 10 * minute, logger },
      ),
    )
    await run(handler)
    server.resetCounters()
    server.failAlways({ kind: 'internal' })
    advance(5 * minute)
    // Act
    const seen = await run(handler)
    // Assess: the SDK made its three attempts, then the cache served the old value.
    expect(seen.token).toBe('token-version-one')
    expect(calls()).toBe(3)
    expect(warnings).toHaveLength(1)
    expect(JSON.stringify(warnings)).not.toContain('token-version-one')
  })

  it('after a failure, serves the stale value at once while one fetch retries in the background', async () => {
    // Prepare
    const { logger } = warningCollector()
    const handler = exposeSecrets(
      secrets(
        { token },
        { endpoint: server.endpoint, ttlMs: minute, staleWhileRevalidateMs: 0, staleIfErrorMs: 10 * minute, logger },
      ),
    )
    await run(handler)
    server.failAlways({ kind: 'not-found' })
    advance(2 * minute)
    await run(handler)
    server.resetCounters()
    server.failAlways(undefined)
    server.setSecret(token, 'token-version-two')
    const answer = deferred()
    server.injectFaults({ kind: 'held', until: answer.promise })
    // Act: 10 invocations while the retry is held, then the same once it has landed.
    const during = await Promise.all(Array.from({ length: 10 }, () => run(handler)))
    await server.received(token, 1)
    answer.resolve()
    const after = await newValueServed(handler)
    // Assess
    expect(new Set(during.map((seen) => seen.token))).toEqual(new Set(['token-version-one']))
    expect(after.token).toBe('token-version-two')
    expect(calls()).toBe(1)
  })

  it('raises SecretsUnavailableError (503, names the secret) past the window', async () => {
    // Prepare
    const handler = exposeSecrets(
      secrets(
        { token },
        {
          endpoint: server.endpoint,
          ttlMs: minute,
          staleWhileRevalidateMs: 0,
          staleIfErrorMs: minute,
          clientConfig: { maxAttempts: 1 },
        },
      ),
    )
    await run(handler)
    server.failAlways({ kind: 'internal' })
    advance(3 * minute)
    // Act
    const error = await run(handler).catch((thrown: unknown) => thrown)
    // Assess
    expect(error).toBeInstanceOf(SecretsUnavailableError)
    expect(error).toMatchObject({ statusCode: 503, secretName: 'token', secretId: token })
    expect((error as Error).message).toContain(`"token" (${token})`)
    expect((error as Error).message).toContain('InternalServiceError')
    expect((error as Error).message).not.toContain('token-version-one')
  })

  it('never serves a value when there was none: the first failure is an error', async () => {
    // Prepare
    server.failAlways({ kind: 'internal' })
    const handler = exposeSecrets(secrets({ token }, { endpoint: server.endpoint }))
    // Act
    const error = await run(handler).catch((thrown: unknown) => thrown)
    // Assess
    expect(error).toBeInstanceOf(SecretsUnavailableError)
    expect((error as Error).message).toContain('InternalServiceError after 3 attempts')
    expect(calls()).toBe(3)
  })
})
