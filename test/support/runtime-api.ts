// A Lambda Runtime API on 127.0.0.1 for a real runtime client (aws-lambda-ric) to poll: it hands
// out invocations on GET .../invocation/next with the headers Lambda sends, and collects what the
// runtime posts back (response, invocation error, init error).
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { newTraceId, traceHeader } from '@lamina/testing'

export interface InvokeOptions {
  requestId?: string
  /** The X-Ray trace id (`1-…-…`); the header sent is `Root=<id>;Parent=…;Sampled=1`. */
  traceId?: string
  /** How long the invocation may run. Default 30 s. */
  timeoutMs?: number
  functionArn?: string
}

export interface InvocationOutcome {
  requestId: string
  traceId: string
  /** `response` for POST …/response, `error` for POST …/error. */
  kind: 'response' | 'error'
  /** The posted body, parsed as JSON when it is JSON. */
  body: unknown
  headers: IncomingMessage['headers']
}

export interface InitError {
  body: unknown
  headers: IncomingMessage['headers']
}

export interface RuntimeApi {
  /** `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`. */
  readonly address: string
  /** Queues one invocation; resolves with what the runtime posted for it. */
  invoke(
    event: unknown,
    options?: InvokeOptions,
  ): { requestId: string; traceId: string; outcome: Promise<InvocationOutcome> }
  /** Resolves when the runtime first asks for an invocation: its init succeeded. */
  readonly ready: Promise<void>
  /** Resolves when the runtime reports a failed init (POST /runtime/init/error). */
  readonly initError: Promise<InitError>
  close(): Promise<void>
}

interface Queued {
  requestId: string
  traceId: string
  deadlineMs: number
  functionArn: string
  body: string
  settle(outcome: InvocationOutcome): void
}

const prefix = '/2018-06-01/runtime'
const invocationPath = new RegExp(`^${prefix}/invocation/([^/]+)/(response|error)$`)

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const accepted = (response: ServerResponse) => {
  response.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}')
}

export async function startRuntimeApi(): Promise<RuntimeApi> {
  const queue: Queued[] = []
  const waiting: ServerResponse[] = []
  const inFlight = new Map<string, Queued>()
  let markReady = () => {}
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  let reportInitError = (_: InitError) => {}
  const initError = new Promise<InitError>((resolve) => {
    reportInitError = resolve
  })

  function handOut(response: ServerResponse, invocation: Queued) {
    inFlight.set(invocation.requestId, invocation)
    response.writeHead(200, {
      // The runtime client's native HTTP client crashes on a `next` answer without it.
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': invocation.requestId,
      'lambda-runtime-deadline-ms': String(invocation.deadlineMs),
      'lambda-runtime-invoked-function-arn': invocation.functionArn,
      'lambda-runtime-trace-id': traceHeader(invocation.traceId),
    })
    response.end(invocation.body)
  }

  const server = createServer(async (request, response) => {
    const path = request.url ?? ''
    if (request.method === 'GET' && path === `${prefix}/invocation/next`) {
      markReady()
      const next = queue.shift()
      if (next !== undefined) handOut(response, next)
      else waiting.push(response)
      return
    }
    const body = await readBody(request)
    if (request.method === 'POST' && path === `${prefix}/init/error`) {
      reportInitError({ body, headers: request.headers })
      accepted(response)
      return
    }
    const match = request.method === 'POST' ? invocationPath.exec(path) : null
    const invocation = match ? inFlight.get(decodeURIComponent(match[1] as string)) : undefined
    if (match === null || invocation === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ errorType: 'NotFound', errorMessage: `No route or invocation for ${path}` }))
      return
    }
    inFlight.delete(invocation.requestId)
    accepted(response)
    invocation.settle({
      requestId: invocation.requestId,
      traceId: invocation.traceId,
      kind: match[2] as 'response' | 'error',
      body,
      headers: request.headers,
    })
  })
  // A `next` request is held open until there is work: never time it out.
  server.requestTimeout = 0
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    address: `127.0.0.1:${port}`,
    ready,
    initError,
    invoke(event, options = {}) {
      const requestId = options.requestId ?? randomUUID()
      const traceId = options.traceId ?? newTraceId()
      let settle = (_: InvocationOutcome) => {}
      const outcome = new Promise<InvocationOutcome>((resolve) => {
        settle = resolve
      })
      const invocation: Queued = {
        requestId,
        traceId,
        deadlineMs: Date.now() + (options.timeoutMs ?? 30_000),
        functionArn: options.functionArn ?? 'arn:aws:lambda:us-east-1:123456789012:function:lamina-test',
        body: JSON.stringify(event),
        settle,
      }
      const next = waiting.shift()
      if (next !== undefined) handOut(next, invocation)
      else queue.push(invocation)
      return { requestId, traceId, outcome }
    },
    async close() {
      for (const response of waiting.splice(0)) response.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
