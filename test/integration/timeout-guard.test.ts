import { TimeoutError, wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { closedWithin, type SlowServer, startSlowServer } from '../support/slow-server.js'

// Real time, real sockets: a 2 s deadline, a 500 ms margin and a handler that never settles.
// Bounds are generous on purpose (shared, noisy machines): nothing here measures how fast it is.
let server: SlowServer
beforeAll(async () => {
  server = await startSlowServer()
})
afterAll(async () => {
  await server.stop()
})

describe('timeoutGuard in real time', () => {
  test('a hanging handler ends in a TimeoutError before the deadline, after every cleanup ran and the outgoing request was aborted', async () => {
    // Prepare
    const context = createContext({ timeoutMs: 2000 })
    const flushed: { error: unknown; remainingMs: number }[] = []
    const handler = wrap(async (_event: unknown, _context: unknown, { signal }: { signal: AbortSignal }) => {
      // The fetch is aborted by the signal; the handler then hangs on, as real code sometimes does.
      fetch(`${server.url}/never-answers`, { signal }).catch(() => undefined)
      return new Promise<never>(() => undefined)
    })
      .use(timeoutGuard({ marginMs: 500 }))
      .use({
        name: 'flush-logs-and-metrics',
        cleanup: (request) =>
          void flushed.push({ error: request.error, remainingMs: context.getRemainingTimeInMillis() }),
      })

    // Act
    const outcome = await handler({}, context).then(
      (value) => ({ value, error: undefined }),
      (error: unknown) => ({ value: undefined, error }),
    )
    const seen = server.requests.at(-1)
    const serverSawAbort = seen === undefined ? false : await closedWithin(seen, 5000)

    // Assess
    expect(outcome.error).toBeInstanceOf(TimeoutError)
    expect(flushed).toHaveLength(1)
    expect(flushed[0]?.error).toBe(outcome.error)
    // The point of the margin: cleanup ran while Lambda would still have let the process live.
    expect(flushed[0]?.remainingMs).toBeGreaterThan(0)
    expect(seen?.url).toBe('/never-answers')
    expect(serverSawAbort).toBe(true)
  })
})
