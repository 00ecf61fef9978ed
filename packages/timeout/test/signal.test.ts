import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { TimeoutError, wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { closedWithin, type SlowServer, startSlowServer } from '../../../test/support/slow-server.js'
import { never, track } from './track.js'

// Real sockets on 127.0.0.1, fake clocks: the deadline is moved by hand once the server holds the request.
let server: SlowServer
beforeAll(async () => {
  server = await startSlowServer()
})
afterAll(async () => {
  await server.stop()
})
afterEach(() => {
  vi.useRealTimers()
})

/** Waits for the server to see the request, moves past deadline − margin, and waits for the connection to close. */
async function timeOutWhileServerHoldsRequest(invocation: Promise<unknown>) {
  const outcome = track(invocation)
  const seen = await server.nextRequest()
  const openBeforeDeadline = !seen.isClosed
  await vi.advanceTimersByTimeAsync(900)
  await outcome.done
  const closedAfterDeadline = await closedWithin(seen, 5000)
  return { outcome, seen, openBeforeDeadline, closedAfterDeadline }
}

describe('request.signal aborts real outgoing requests', () => {
  test('fetch(url, { signal }): the slow server sees the connection close', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const fetchErrors: unknown[] = []
    const handler = wrap(async (_event: unknown, _context: unknown, { signal }: { signal: AbortSignal }) => {
      try {
        return await fetch(`${server.url}/slow-report`, { signal })
      } catch (error) {
        fetchErrors.push(error)
        return never() // the handler itself goes on hanging: only the guard ends the invocation
      }
    }).use(timeoutGuard({ marginMs: 100 }))

    // Act
    const { outcome, seen, openBeforeDeadline, closedAfterDeadline } = await timeOutWhileServerHoldsRequest(
      handler({}, createContext({ timeoutMs: 1000 })),
    )

    // Assess
    expect(openBeforeDeadline).toBe(true)
    expect(closedAfterDeadline).toBe(true)
    expect(seen).toMatchObject({ method: 'GET', url: '/slow-report', isClosed: true })
    expect(outcome.error).toBeInstanceOf(TimeoutError)
    // fetch rejects with the signal's reason: the handler can tell a deadline from other failures.
    expect(fetchErrors).toHaveLength(1)
    expect(fetchErrors[0]).toBe(outcome.error)
  })

  test('AWS SDK v3 client.send(command, { abortSignal }): the request is aborted, not retried', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const client = new SecretsManagerClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret' },
    })
    const sdkErrors: unknown[] = []
    const handler = wrap(async (_event: unknown, _context: unknown, { signal }: { signal: AbortSignal }) => {
      try {
        return await client.send(new GetSecretValueCommand({ SecretId: 'prod/db' }), { abortSignal: signal })
      } catch (error) {
        sdkErrors.push(error)
        return never()
      }
    }).use(timeoutGuard({ marginMs: 100 }))
    const requestsBefore = server.requests.length

    // Act
    const { outcome, seen, openBeforeDeadline, closedAfterDeadline } = await timeOutWhileServerHoldsRequest(
      handler({}, createContext({ timeoutMs: 1000 })),
    )
    await vi.advanceTimersByTimeAsync(10_000) // room for any retry the SDK might attempt

    // Assess
    expect(openBeforeDeadline).toBe(true)
    expect(closedAfterDeadline).toBe(true)
    expect(seen).toMatchObject({ method: 'POST', isClosed: true })
    expect(seen.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue')
    expect(server.requests.length - requestsBefore).toBe(1)
    expect(outcome.error).toBeInstanceOf(TimeoutError)
    expect(sdkErrors).toHaveLength(1)
    expect((sdkErrors[0] as Error).name).toBe('AbortError')
    // The SDK's AbortError carries the signal's reason: the TimeoutError itself.
    expect((sdkErrors[0] as Error).cause).toBe(outcome.error)
    client.destroy()
  })
})
