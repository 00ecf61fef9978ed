import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'

/**
 * A local EventBridge PutEvents endpoint (JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`) on
 * 127.0.0.1 for tests that drive the real `@aws-sdk/client-eventbridge` client. It records every
 * request the SDK sends, as sent, and answers each entry as the test decides: published (an
 * `EventId`), failed with a per-entry `ErrorCode` (a partial failure), or the whole call failed.
 */

/** One entry as it arrived (the SDK's wire form: `Time` is epoch seconds). */
export interface ReceivedEntry {
  Source?: string
  DetailType?: string
  Detail?: string
  EventBusName?: string
  Resources?: string[]
  Time?: number
  TraceHeader?: string
}

export interface PutEventsCall {
  entries: ReceivedEntry[]
  /** The request body's size in bytes. */
  bodyBytes: number
  headers: IncomingMessage['headers']
}

/**
 * How one entry is answered: `undefined` publishes it, an object fails it, `'omit'` leaves its
 * result out of the answer (a malformed answer, to test what a client makes of one).
 */
export type EntryAnswer = { errorCode: string; errorMessage?: string } | 'omit' | undefined

/** Decides each entry's answer; `call` counts PutEvents calls from 1. */
export type EntryAnswerer = (entry: ReceivedEntry, call: number) => EntryAnswer

/** A whole-call failure, consumed by one call. */
export interface CallFault {
  status: number
  type: string
  message?: string
}

export interface EventBridgeServer {
  /** `http://127.0.0.1:<port>`: pass as the client's `endpoint`. */
  readonly endpoint: string
  /** A real EventBridge client for this endpoint (region and dummy credentials set); destroyed by `close()`. */
  client(): EventBridgeClient
  /** Every PutEvents call, in arrival order. */
  readonly calls: PutEventsCall[]
  /** Every entry published (answered with an EventId), with that id, in answer order. */
  readonly published: (ReceivedEntry & { EventId: string })[]
  /** Decides each entry's answer from now on (default: publish everything). */
  answerEntries(answerer: EntryAnswerer): void
  /** Fails the next calls, one fault each, in order (the SDK retries 5xx and throttling itself). */
  failCalls(...faults: CallFault[]): void
  /** Resolves once `count` PutEvents calls have arrived (at once if they have). */
  received(count: number): Promise<void>
  reset(): void
  close(): Promise<void>
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}

const json = (response: ServerResponse, status: number, body: unknown, type?: string) => {
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    ...(type === undefined ? {} : { 'x-amzn-errortype': type }),
  })
  response.end(JSON.stringify(body))
}

/** Starts the endpoint on 127.0.0.1, on a free port. */
export async function startEventBridgeServer(): Promise<EventBridgeServer> {
  const calls: PutEventsCall[] = []
  const published: (ReceivedEntry & { EventId: string })[] = []
  const faults: CallFault[] = []
  const waiters = new Set<() => void>()
  let answerer: EntryAnswerer = () => undefined
  const sockets = new Set<Socket>()
  const clients: EventBridgeClient[] = []

  const server = createServer(async (request, response) => {
    // No Date header: the SDK would otherwise correct its clock skew from it.
    response.sendDate = false
    const body = await readBody(request)
    const target = request.headers['x-amz-target']
    if (target !== 'AWSEvents.PutEvents') {
      json(response, 400, { __type: 'UnknownOperationException', message: `Only PutEvents here, not ${target}.` })
      return
    }
    const input = JSON.parse(body.toString('utf8')) as { Entries?: ReceivedEntry[] }
    const entries = input.Entries ?? []
    calls.push({ entries, bodyBytes: body.length, headers: request.headers })
    for (const check of waiters) check()
    const fault = faults.shift()
    if (fault) {
      json(
        response,
        fault.status,
        { __type: fault.type, message: fault.message ?? `${fault.type} (test server)` },
        fault.type,
      )
      return
    }
    let failed = 0
    const results = entries.flatMap((entry) => {
      const answer = answerer(entry, calls.length)
      if (answer === 'omit') return []
      if (answer !== undefined) {
        failed++
        return { ErrorCode: answer.errorCode, ErrorMessage: answer.errorMessage ?? `${answer.errorCode} (test server)` }
      }
      const EventId = randomUUID()
      published.push({ ...entry, EventId })
      return { EventId }
    })
    json(response, 200, { FailedEntryCount: failed, Entries: results })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const endpoint = `http://127.0.0.1:${port}`

  return {
    endpoint,
    client() {
      const client = new EventBridgeClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      })
      clients.push(client)
      return client
    },
    calls,
    published,
    answerEntries(next) {
      answerer = next
    },
    failCalls(...next) {
      faults.push(...next)
    },
    received: (count) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (calls.length < count) return
          waiters.delete(check)
          resolve()
        }
        waiters.add(check)
        check()
      }),
    reset() {
      calls.length = 0
      published.length = 0
      faults.length = 0
      answerer = () => undefined
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.destroy()
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
