// Lambda's Runtime API on 127.0.0.1: the endpoints a runtime client polls (`/next`) and answers on
// (`/response`, `/error`, `/init/error`), with the headers Lambda sends. One invocation is handed
// to each waiting `/next`; a `/next` with nothing queued is held open until there is work, so any
// number of runtime loops (Managed Instances) can poll at once.
import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { newTraceId, traceHeader } from '@lamina/testing'
import { readStreamedBody } from './stream-body.js'
import type { StreamPrelude } from './types.js'

export const runtimePrefix = '/2018-06-01/runtime'
/** Lamina's own extension: the local loop reports timings and log lines before it answers. */
export const reportPrefix = '/lamina/v1/invocation'

export interface RuntimeApiOptions {
  /** Default 0: any free port. */
  port?: number
}

export interface QueueOptions {
  requestId?: string
  traceId?: string
  /** How long the invocation may run once handed out. Default 3000 ms. */
  timeoutMs?: number
  functionArn?: string
  clientContext?: unknown
  cognitoIdentity?: unknown
  tenantId?: string
  onPrelude?: (prelude: StreamPrelude) => void
  onChunk?: (chunk: Uint8Array) => void
}

/** What the runtime posted for one invocation. */
export interface RuntimeOutcome {
  requestId: string
  kind: 'response' | 'error'
  /** The body (for a streamed response: after the prelude). */
  body: Buffer
  headers: IncomingHttpHeaders
  streamed: boolean
  prelude?: StreamPrelude
  /** A streamed response that failed midway: the error from its trailers. */
  streamError?: { errorType: string; errorMessage: string; trace?: string[] }
}

/** What Lamina's loop reports besides the answer. */
export interface InvocationReport {
  timings: { phase: string; middleware: string; startMs: number; endMs: number }[]
  logs: string[]
}

export interface HandedOut {
  requestId: string
  deadlineMs: number
}

export interface QueuedInvocation {
  requestId: string
  traceId: string
  /** Resolves when the runtime answers; never rejects (see `cancel`). */
  outcome: Promise<RuntimeOutcome | undefined>
  /** Resolves when a runtime takes the invocation (`/next`), with its deadline. */
  handedOut: Promise<HandedOut>
}

interface Pending {
  requestId: string
  traceId: string
  timeoutMs: number
  body: string
  options: QueueOptions
  settle(outcome: RuntimeOutcome | undefined): void
  markHandedOut(handedOut: HandedOut): void
  report?: InvocationReport
}

export interface RuntimeApiEvents {
  /** A runtime asked for work (its init is done). */
  next: []
  /** A runtime reported a failed init. */
  initError: [error: { errorType: string; errorMessage: string; trace?: string[] }]
  /** Lamina's loop sent the report of an invocation (after the answer, for a streamed one). */
  report: [requestId: string]
}

export interface RuntimeApi extends EventEmitter<RuntimeApiEvents> {
  /** `127.0.0.1:<port>`: the value of `AWS_LAMBDA_RUNTIME_API`. */
  readonly address: string
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** Queues one invocation for the next `/next`. */
  enqueue(event: unknown, options?: QueueOptions): QueuedInvocation
  /** The report Lamina's loop sent for an invocation, if any (handed over once). */
  takeReport(requestId: string): InvocationReport | undefined
  /** Whether Lamina's loop has sent the report of an invocation (not yet taken). */
  hasReport(requestId: string): boolean
  /** Drops a queued or running invocation (its process died); its outcome resolves `undefined`. */
  cancel(requestId: string): void
  /** Answers every held `/next` with nothing (their runtime was stopped). */
  dropWaiting(): void
  close(): Promise<void>
}

const invocationPath = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/
const reportPath = /^\/lamina\/v1\/invocation\/([^/]+)\/report$/
const streamingMode = 'streaming'

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

function answer(response: ServerResponse, status: number, body: object) {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

const optionalJsonHeader = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value))

export function parseErrorBody(body: Buffer, fallbackType = 'Runtime.Unknown') {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>
    return {
      errorType: typeof parsed.errorType === 'string' ? parsed.errorType : fallbackType,
      errorMessage: typeof parsed.errorMessage === 'string' ? parsed.errorMessage : '',
      ...(Array.isArray(parsed.trace) ? { trace: parsed.trace.map(String) } : {}),
      ...(Array.isArray(parsed.stackTrace) ? { trace: parsed.stackTrace.map(String) } : {}),
    }
  } catch {
    return { errorType: fallbackType, errorMessage: body.toString('utf8') }
  }
}

/** Starts the emulator on 127.0.0.1. */
export async function startRuntimeApi(options: RuntimeApiOptions = {}): Promise<RuntimeApi> {
  const queue: Pending[] = []
  const waiting = new Set<ServerResponse>()
  const running = new Map<string, Pending>()
  const reports = new Map<string, InvocationReport>()
  const emitter = new EventEmitter<RuntimeApiEvents>()

  function handOut(response: ServerResponse, invocation: Pending) {
    const deadlineMs = Date.now() + invocation.timeoutMs
    running.set(invocation.requestId, invocation)
    const { options: queued } = invocation
    const headers: Record<string, string> = {
      // aws-lambda-ric's native client crashes on a `next` answer without it.
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': invocation.requestId,
      'lambda-runtime-deadline-ms': String(deadlineMs),
      'lambda-runtime-invoked-function-arn':
        queued.functionArn ?? 'arn:aws:lambda:us-east-1:123456789012:function:lamina-local',
      'lambda-runtime-trace-id': traceHeader(invocation.traceId),
    }
    const clientContext = optionalJsonHeader(queued.clientContext)
    if (clientContext !== undefined) headers['lambda-runtime-client-context'] = clientContext
    const identity = optionalJsonHeader(queued.cognitoIdentity)
    if (identity !== undefined) headers['lambda-runtime-cognito-identity'] = identity
    if (queued.tenantId !== undefined) headers['lambda-runtime-aws-tenant-id'] = queued.tenantId
    response.writeHead(200, headers).end(invocation.body)
    invocation.markHandedOut({ requestId: invocation.requestId, deadlineMs })
  }

  async function onAnswer(request: IncomingMessage, response: ServerResponse, invocation: Pending, kind: string) {
    running.delete(invocation.requestId)
    const streamed = kind === 'response' && request.headers['lambda-runtime-function-response-mode'] === streamingMode
    if (!streamed) {
      const body = await readBody(request)
      answer(response, 202, { status: 'OK' })
      invocation.settle({
        requestId: invocation.requestId,
        kind: kind as 'response' | 'error',
        body,
        headers: request.headers,
        streamed: false,
      })
      return
    }
    const { body, prelude, trailers } = await readStreamedBody(request, invocation.options)
    answer(response, 202, { status: 'OK' })
    const errorBody = trailers['lambda-runtime-function-error-body']
    const streamError =
      errorBody === undefined
        ? undefined
        : parseErrorBody(Buffer.from(errorBody, 'base64'), trailers['lambda-runtime-function-error-type'])
    invocation.settle({
      requestId: invocation.requestId,
      kind: streamError === undefined ? 'response' : 'error',
      body,
      headers: request.headers,
      streamed: true,
      ...(prelude === undefined ? {} : { prelude }),
      ...(streamError === undefined ? {} : { streamError }),
    })
  }

  const server = createServer(async (request, response) => {
    const path = request.url ?? ''
    if (request.method === 'GET' && path === `${runtimePrefix}/invocation/next`) {
      emitter.emit('next')
      const next = queue.shift()
      if (next !== undefined) return handOut(response, next)
      waiting.add(response)
      response.on('close', () => waiting.delete(response))
      return
    }
    if (request.method !== 'POST') {
      return answer(response, 405, { errorType: 'MethodNotAllowed', errorMessage: `${request.method} ${path}` })
    }
    if (path === `${runtimePrefix}/init/error`) {
      const body = await readBody(request)
      answer(response, 202, { status: 'OK' })
      const header = request.headers['lambda-runtime-function-error-type']
      emitter.emit('initError', parseErrorBody(body, typeof header === 'string' ? header : undefined))
      return
    }
    const report = reportPath.exec(path)
    if (report !== null) {
      const body = await readBody(request)
      const requestId = decodeURIComponent(report[1] as string)
      reports.set(requestId, JSON.parse(body.toString('utf8')) as InvocationReport)
      answer(response, 202, { status: 'OK' })
      emitter.emit('report', requestId)
      return
    }
    const match = invocationPath.exec(path)
    const invocation = match === null ? undefined : running.get(decodeURIComponent(match[1] as string))
    if (match === null || invocation === undefined) {
      // Lambda answers an unknown or already answered request id the same way.
      await readBody(request)
      return answer(response, match === null ? 404 : 400, {
        errorType: match === null ? 'NotFound' : 'InvalidRequestID',
        errorMessage: match === null ? `No route for POST ${path}` : `No running invocation ${match[1]}`,
      })
    }
    await onAnswer(request, response, invocation, match[2] as string)
  })
  // A `next` request is held open until there is work: never time it out.
  server.requestTimeout = 0
  server.headersTimeout = 0
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo

  return Object.assign(emitter, {
    address: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    enqueue(event: unknown, queued: QueueOptions = {}): QueuedInvocation {
      const requestId = queued.requestId ?? randomUUID()
      const traceId = queued.traceId ?? newTraceId()
      let settle = (_: RuntimeOutcome | undefined) => {}
      const outcome = new Promise<RuntimeOutcome | undefined>((resolve) => {
        settle = resolve
      })
      let markHandedOut = (_: HandedOut) => {}
      const handedOut = new Promise<HandedOut>((resolve) => {
        markHandedOut = resolve
      })
      const invocation: Pending = {
        requestId,
        traceId,
        timeoutMs: queued.timeoutMs ?? 3000,
        body: JSON.stringify(event) ?? 'null',
        options: queued,
        settle,
        markHandedOut,
      }
      const [next] = waiting
      if (next !== undefined) {
        waiting.delete(next)
        handOut(next, invocation)
      } else queue.push(invocation)
      return { requestId, traceId, outcome, handedOut }
    },
    hasReport(requestId: string) {
      return reports.has(requestId)
    },
    takeReport(requestId: string) {
      const report = reports.get(requestId)
      reports.delete(requestId)
      return report
    },
    cancel(requestId: string) {
      const index = queue.findIndex((queued) => queued.requestId === requestId)
      const invocation = index >= 0 ? queue.splice(index, 1)[0] : running.get(requestId)
      running.delete(requestId)
      reports.delete(requestId)
      invocation?.settle(undefined)
    },
    dropWaiting() {
      for (const response of waiting) response.destroy()
      waiting.clear()
    },
    async close() {
      for (const response of waiting) response.destroy()
      for (const invocation of [...queue.splice(0), ...running.values()]) invocation.settle(undefined)
      running.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }) as RuntimeApi
}
