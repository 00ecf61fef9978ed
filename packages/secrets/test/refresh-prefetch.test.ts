import { wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { SecretConfigurationError, SecretsUnavailableError, secrets } from '../src/index.ts'
import {
  deferred,
  exposeSecrets,
  run,
  type SecretsManagerServer,
  startSecretsManagerServer,
  warningCollector,
} from './support.ts'

let server: SecretsManagerServer
let id = ''
let testNumber = 0

beforeAll(async () => {
  server = await startSecretsManagerServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.failAlways(undefined)
  id = `rotating/key-${++testNumber}`
  server.setSecret(id, 'api-key-before-rotation')
})

const calls = () => server.callsFor(id)

/**
 * A handler that calls context.secrets.refresh('key') and answers with the value before and
 * after; `refreshing` runs once the refresh has started (its fetch is in flight or joined).
 */
function refreshingHandler(middleware = secrets({ key: id }, { endpoint: server.endpoint }), refreshing = () => {}) {
  return wrap<unknown>()
    .use(middleware)
    .handler(async (_event, context) => {
      const before = context.secrets.key
      const refreshed = context.secrets.refresh('key')
      refreshing()
      await refreshed
      return { before, after: context.secrets.key }
    })
}

describe('refresh', () => {
  it('fetches the secret again whatever its age and shows the new value to the caller', async () => {
    // Prepare
    const middleware = secrets({ key: id }, { endpoint: server.endpoint })
    const handler = refreshingHandler(middleware)
    await run(exposeSecrets(middleware))
    server.setSecret(id, 'api-key-after-rotation')
    // Act
    const seen = await run(handler)
    const later = await run(exposeSecrets(middleware))
    // Assess
    expect(seen).toEqual({ before: 'api-key-before-rotation', after: 'api-key-after-rotation' })
    expect(later.key).toBe('api-key-after-rotation')
    expect(calls()).toBe(2)
  })

  it('shares one fetch between concurrent refreshes and updates the cache for later invocations', async () => {
    // Prepare
    const answer = deferred()
    let started = 0
    // The fetch's answer is held until all 10 invocations have asked for a refresh.
    const handler = refreshingHandler(undefined, () => {
      if (++started === 10) answer.resolve()
    })
    await run(handler)
    started = 0
    const callsBefore = calls()
    server.setSecret(id, 'api-key-after-rotation')
    server.injectFaults({ kind: 'held', until: answer.promise })
    // Act
    const results = await Promise.all(Array.from({ length: 10 }, () => run(handler)))
    // Assess: the 10 refreshes joined one in-flight fetch.
    expect(new Set(results.map((result) => result.after))).toEqual(new Set(['api-key-after-rotation']))
    expect(calls() - callsBefore).toBe(1)
  })

  it('rejects with SecretsUnavailableError when the refresh fails, and keeps the old value', async () => {
    // Prepare
    const { logger } = warningCollector()
    const handler = wrap<unknown>()
      .use(secrets({ key: id }, { endpoint: server.endpoint, logger, clientConfig: { maxAttempts: 1 } }))
      .handler(async (_event, context) => {
        const error = await context.secrets.refresh('key').catch((thrown: unknown) => thrown)
        return { error, value: context.secrets.key }
      })
    await run(handler)
    server.failAlways({ kind: 'internal' })
    // Act
    const seen = await run(handler)
    // Assess
    expect(seen.error).toBeInstanceOf(SecretsUnavailableError)
    expect(seen.value).toBe('api-key-before-rotation')
  })

  it('rejects with SecretConfigurationError when the secret was deleted, and keeps the old value', async () => {
    // Prepare
    const { logger } = warningCollector()
    const handler = wrap<unknown>()
      .use(secrets({ key: id }, { endpoint: server.endpoint, logger }))
      .handler(async (_event, context) => {
        const error = await context.secrets.refresh('key').catch((thrown: unknown) => thrown)
        return { error, value: context.secrets.key }
      })
    await run(handler)
    server.deleteSecret(id)
    // Act
    const seen = await run(handler)
    // Assess
    expect(seen.error).toBeInstanceOf(SecretConfigurationError)
    expect(seen.error).toMatchObject({ statusCode: 500, reason: 'not-found', secretName: 'key', secretId: id })
    expect(seen.value).toBe('api-key-before-rotation')
  })

  it('refuses an unknown name, listing the known ones', async () => {
    // Prepare
    const handler = wrap<unknown>()
      .use(secrets({ key: id }, { endpoint: server.endpoint }))
      .handler(async (_event, context) => (context.secrets.refresh as (name: string) => Promise<void>)('nope'))
    // Act
    const error = await run(handler).catch((thrown: Error) => thrown)
    // Assess
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toContain('refresh("nope"): no such secret; the names given to secrets() are key')
  })
})

describe('prefetch', () => {
  it('fetches at creation so the first invocation finds the value cached', async () => {
    // Prepare
    const middleware = secrets({ key: id }, { endpoint: server.endpoint, prefetch: true })
    await server.received(id, 1)
    // Act
    const seen = await run(exposeSecrets(middleware))
    // Assess
    expect(seen.key).toBe('api-key-before-rotation')
    expect(calls()).toBe(1)
  })

  it('leaves a failed prefetch to the first invocation, without an unhandled rejection', async () => {
    // Prepare
    server.failAlways({ kind: 'not-found' })
    const middleware = secrets({ key: id }, { endpoint: server.endpoint, prefetch: true })
    await server.received(id, 1)
    server.failAlways(undefined)
    // Act: an invocation while the failed prefetch is still in flight joins it and fails; the
    // first one after it fetches again (the failure has no event of its own to await).
    const seen = await vi.waitFor(() => run(exposeSecrets(middleware)), { timeout: 10_000, interval: 10 })
    // Assess: vitest fails the run on an unhandled rejection; exactly one more fetch was made.
    expect(seen.key).toBe('api-key-before-rotation')
    expect(calls()).toBe(2)
  })
})

describe('deadline', () => {
  it('an invocation that gives up on a slow fetch leaves it to fill the cache for the next one', async () => {
    // Prepare
    const { armTimeout } = await import('@lamina/core')
    const middleware = secrets({ key: id }, { endpoint: server.endpoint })
    const guarded = wrap<unknown>()
      .use({ before: (request) => void armTimeout(request, 0) })
      .use(middleware)
      .handler(async (_event, context) => context.secrets.key)
    const answer = deferred()
    server.injectFaults({ kind: 'held', until: answer.promise })
    // Act: the fetch is answered only once the first invocation has timed out.
    const timedOut = await guarded({}, createContext({ timeoutMs: 30 })).catch((error: Error) => error)
    answer.resolve()
    const next = await guarded({}, createContext({ timeoutMs: 5_000 }))
    // Assess
    expect(timedOut).toMatchObject({ name: 'TimeoutError', statusCode: 504 })
    expect(next).toBe('api-key-before-rotation')
    expect(calls()).toBe(1)
  })
})
