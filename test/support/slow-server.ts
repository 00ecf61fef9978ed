import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as realDelay } from 'node:timers/promises'

/** One request the slow server received, and whether its client has closed the connection. */
export interface SeenRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  /** Resolves when the client closes the connection (the server itself never answers). */
  closed: Promise<void>
  isClosed: boolean
}

export interface SlowServer {
  url: string
  requests: SeenRequest[]
  /** Resolves with the next request the server receives (or one already received and not yet taken). */
  nextRequest(): Promise<SeenRequest>
  stop(): Promise<void>
}

/**
 * An HTTP server on 127.0.0.1 that never answers: it only records each request and when the client
 * closes the connection. A request that was really aborted shows up as a closed connection.
 */
export async function startSlowServer(): Promise<SlowServer> {
  const requests: SeenRequest[] = []
  let taken = 0
  const waiting: ((request: SeenRequest) => void)[] = []
  const server = createServer((incoming) => {
    let markClosed: () => void = () => undefined
    const seen: SeenRequest = {
      method: incoming.method ?? '',
      url: incoming.url ?? '',
      headers: incoming.headers,
      isClosed: false,
      closed: new Promise<void>((resolve) => {
        markClosed = resolve
      }),
    }
    incoming.socket.once('close', () => {
      seen.isClosed = true
      markClosed()
    })
    // Drain the body so the client is not held back by back-pressure; the answer never comes.
    incoming.resume()
    requests.push(seen)
    const waiter = waiting.shift()
    if (waiter) {
      taken++
      waiter(seen)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    nextRequest() {
      const ready = requests[taken]
      if (ready) {
        taken++
        return Promise.resolve(ready)
      }
      return new Promise((resolve) => waiting.push(resolve))
    },
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * Waits (in real time, whatever the test did to the global clock) until the client closed the
 * connection, or `limitMs` passed; returns whether it closed. The limit only bounds a failing test.
 */
export async function closedWithin(request: SeenRequest, limitMs: number): Promise<boolean> {
  const limit = new AbortController()
  await Promise.race([request.closed, realDelay(limitMs, undefined, { signal: limit.signal }).catch(() => undefined)])
  limit.abort()
  return request.isClosed
}
