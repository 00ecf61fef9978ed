// The runtime side of the Runtime API: node:http with one keep-alive agent (no client timeouts,
// since `/next` is held open until there is work).
import { Agent, type IncomingHttpHeaders, request } from 'node:http'

export interface NextInvocation {
  headers: IncomingHttpHeaders
  body: string
}

export class RuntimeClient {
  readonly #hostname: string
  readonly #port: number
  readonly #agent = new Agent({ keepAlive: true })

  constructor(address: string) {
    const colon = address.lastIndexOf(':')
    this.#hostname = address.slice(0, colon)
    this.#port = Number(address.slice(colon + 1))
  }

  next(): Promise<NextInvocation> {
    return new Promise((resolve, reject) => {
      const call = request(
        { hostname: this.#hostname, port: this.#port, agent: this.#agent, path: '/2018-06-01/runtime/invocation/next' },
        (response) => {
          let body = ''
          response.setEncoding('utf8')
          response.on('data', (chunk: string) => {
            body += chunk
          })
          response.on('end', () => resolve({ headers: response.headers, body }))
          response.on('error', reject)
        },
      )
      call.on('error', reject)
      call.end()
    })
  }

  post(path: string, body: string, headers: Record<string, string> = {}): Promise<number> {
    return new Promise((resolve, reject) => {
      const call = request(
        {
          hostname: this.#hostname,
          port: this.#port,
          agent: this.#agent,
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        },
        (response) => {
          response.resume()
          response.on('end', () => resolve(response.statusCode ?? 0))
          response.on('error', reject)
        },
      )
      call.on('error', reject)
      call.end(body)
    })
  }

  /** A chunked streaming `…/response` request; headers are sent with the first write. */
  openStream(requestId: string) {
    const call = request({
      hostname: this.#hostname,
      port: this.#port,
      agent: this.#agent,
      method: 'POST',
      path: `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/response`,
      headers: {
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        'Transfer-Encoding': 'chunked',
        'Content-Type': 'application/octet-stream',
        Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
      },
    })
    const answered = new Promise<number>((resolve, reject) => {
      call.on('response', (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
      })
      call.on('error', reject)
    })
    // Awaited once the handler is done; until then a failure must not count as unhandled.
    answered.catch(() => {})
    return { call, answered }
  }

  close() {
    this.#agent.destroy()
  }
}
