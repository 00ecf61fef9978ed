// retry() around the real AWS SDK v3 Secrets Manager client, whose own retries are off
// (maxAttempts: 1), against a Secrets Manager endpoint on 127.0.0.1 that answers with faults
// first: retry() does the retrying, and tells what the SDK's errors are worth.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { wrap } from '@lamina/core'
import { RetryError, retry } from '@lamina/retry'
import { createContext } from '@lamina/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type SecretsManagerServer, startSecretsManagerServer } from '../support/secrets-manager-server.js'

let server: SecretsManagerServer
let client: SecretsManagerClient

beforeAll(async () => {
  server = await startSecretsManagerServer({ 'orders/api-key': 'value-1' })
  client = new SecretsManagerClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1, // retry() retries, not the SDK
  })
})

afterEach(() => {
  server.resetCounters()
  vi.restoreAllMocks()
})

afterAll(async () => {
  client.destroy()
  await server.close()
})

const getSecret = ({ signal }: { signal: AbortSignal }) =>
  client.send(new GetSecretValueCommand({ SecretId: 'orders/api-key' }), { abortSignal: signal })

describe('retry() with the AWS SDK v3 client', () => {
  it('retries a 503, throttling and a reset connection, then returns the 200', async () => {
    // Prepare
    vi.spyOn(Math, 'random').mockReturnValue(0)
    server.injectFaults(
      { kind: 'error', status: 503, type: 'ServiceUnavailable' },
      { kind: 'throttle' },
      { kind: 'reset' },
    )

    // Act
    const secret = await retry(getSecret, { attempts: 4 })

    // Assess
    expect(secret.SecretString).toBe('value-1')
    expect(server.callsFor('orders/api-key')).toBe(4)
  })

  it('does not retry what another attempt cannot fix (not found), and rethrows the SDK error', async () => {
    // Prepare
    server.injectFaults({ kind: 'not-found' })

    // Act
    const outcome = retry(getSecret, { attempts: 4 })

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    })
    expect(server.callsFor('orders/api-key')).toBe(1)
  })

  it('gives up after the attempts with the last SDK error as cause', async () => {
    // Prepare
    vi.spyOn(Math, 'random').mockReturnValue(0)
    server.failAlways({ kind: 'internal' })

    // Act
    const error = await retry(getSecret, { attempts: 3 }).catch((caught: unknown) => caught)
    server.failAlways(undefined)

    // Assess
    expect(error).toBeInstanceOf(RetryError)
    expect(error).toMatchObject({ attempts: 3, reason: 'exhausted', cause: { name: 'InternalServiceError' } })
    expect(server.callsFor('orders/api-key')).toBe(3)
  })

  it("inside wrap(), stops at the invocation's signal while the SDK call is held, and aborts the request", async () => {
    // Prepare: the server holds the answer until the test lets it go
    let release!: () => void
    server.injectFaults({ kind: 'held', until: new Promise<void>((resolve) => (release = resolve)) })
    const invocation = new AbortController()
    const handler = wrap(async (_event: object, context, { signal }) =>
      retry(getSecret, { signal: AbortSignal.any([signal, invocation.signal]), context }),
    )

    // Act
    const outcome = handler({}, createContext({ timeoutMs: 60_000 }))
    await server.received('orders/api-key', 1)
    invocation.abort()
    const error = await outcome.catch((caught: unknown) => caught)
    release()

    // Assess
    expect(error).toMatchObject({ name: 'RetryError', reason: 'aborted', attempts: 1 })
    expect(server.callsFor('orders/api-key')).toBe(1)
  })
})
