import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { Agent as UndiciAgent } from 'undici'

export interface KeepAliveOptions {
  /** Reuse sockets between requests. Default true; false is the baseline to compare against. */
  keepAlive?: boolean
  /** Sockets per origin. Default 50 (the AWS SDK's own default). */
  maxSockets?: number
  /**
   * Close a socket idle this long. Default 30 000: shorter than the idle timeouts of AWS
   * endpoints and load balancers (≥ 60 s), so we close first and never write to a socket the
   * server already dropped. A server's `Keep-Alive: timeout=` hint, when shorter, wins.
   */
  idleTimeoutMs?: number
  /** Give up connecting after this long. Default 3 000. */
  connectionTimeoutMs?: number
  /** AWS SDK requests: give up when the socket is silent this long. Default 30 000; 0 disables it. */
  requestTimeoutMs?: number
}

/**
 * What Node's global `fetch` takes as `dispatcher`: the `undici-types` copy that `@types/node`
 * declares (`unknown` where the global `RequestInit` has no dispatcher, as with the DOM lib).
 */
export type FetchDispatcher = RequestInit extends { dispatcher?: infer Dispatcher } ? NonNullable<Dispatcher> : unknown

/** Agents, an AWS SDK request handler and a fetch dispatcher that share one set of limits. */
export interface KeepAliveAgents {
  /** For `http.request` and libraries that take an agent. */
  readonly httpAgent: HttpAgent
  readonly httpsAgent: HttpsAgent
  /** For AWS SDK v3 clients: `new S3Client({ requestHandler })`. */
  readonly requestHandler: NodeHttpHandler
  /** For `fetch(url, { dispatcher })`: Node's global fetch or undici's, without a cast. */
  readonly dispatcher: UndiciAgent & FetchDispatcher
  /** Closes every socket (tests, or a graceful shutdown). */
  destroy(): Promise<void>
}

function positive(name: keyof KeepAliveOptions, value: number | undefined, fallback: number, allowZero = false) {
  const chosen = value ?? fallback
  if (typeof chosen !== 'number' || !Number.isFinite(chosen) || chosen < 0 || (chosen === 0 && !allowZero)) {
    throw new RangeError(
      `keepAliveAgents(): ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${String(value)}.`,
    )
  }
  return chosen
}

/**
 * Keep-alive HTTP(S) agents with sane limits, plus the two adapters most Lambda code needs: a
 * `NodeHttpHandler` for AWS SDK v3 clients and an undici `Agent` for `fetch`. Create them once,
 * at module scope or in a `clients()` factory, and share them: reusing a warm socket saves a
 * TCP (and TLS) handshake on every call.
 */
export function keepAliveAgents(options: KeepAliveOptions = {}): KeepAliveAgents {
  const keepAlive = options.keepAlive ?? true
  const maxSockets = positive('maxSockets', options.maxSockets, 50)
  const idleTimeoutMs = positive('idleTimeoutMs', options.idleTimeoutMs, 30_000)
  const connectionTimeoutMs = positive('connectionTimeoutMs', options.connectionTimeoutMs, 3_000)
  const requestTimeoutMs = positive('requestTimeoutMs', options.requestTimeoutMs, 30_000, true)
  const agentOptions = {
    keepAlive,
    maxSockets,
    maxFreeSockets: maxSockets,
    timeout: idleTimeoutMs,
    scheduling: 'lifo' as const,
  }
  const httpAgent = new HttpAgent(agentOptions)
  const httpsAgent = new HttpsAgent(agentOptions)
  const requestHandler = new NodeHttpHandler({
    httpAgent,
    httpsAgent,
    connectionTimeout: connectionTimeoutMs,
    requestTimeout: requestTimeoutMs,
  })
  const dispatcher = new UndiciAgent({
    connections: maxSockets,
    // undici's way to say "no keep-alive": at most zero requests in flight on an idle socket.
    pipelining: keepAlive ? 1 : 0,
    keepAliveTimeout: idleTimeoutMs,
    keepAliveMaxTimeout: idleTimeoutMs,
    connect: { timeout: connectionTimeoutMs },
  })
  return {
    httpAgent,
    httpsAgent,
    requestHandler,
    // Node's fetch runs on undici and takes this Agent (tested on the wire), but its types are a
    // separate copy (undici-types) that does not line up with the undici package's: typed as
    // both, so `fetch(url, { dispatcher })` compiles without a cast in users' code.
    dispatcher: dispatcher as UndiciAgent & FetchDispatcher,
    async destroy() {
      requestHandler.destroy()
      httpAgent.destroy()
      httpsAgent.destroy()
      await dispatcher.destroy()
    },
  }
}
