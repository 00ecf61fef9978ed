// One HTTP request through the function: the event its source would deliver, the answer its
// source would give, streamed chunk by chunk when the function streams.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type NewRecord, outcomeFields } from './history.js'
import { toHttpEvent } from './http-event.js'
import { type HttpAnswer, internalError, preludeHeaders, timedOutAnswer, toHttpAnswer } from './http-response.js'
import type { RouteMatch } from './routes.js'
import type { InvocationOutcome, RunningFunction } from './runner.js'

function send(response: ServerResponse, answer: HttpAnswer) {
  const headers = [...answer.headers, ['content-length', String(answer.body.length)]]
  response.writeHead(answer.statusCode, headers.flat()).end(answer.body)
}

function answerFor(outcome: InvocationOutcome, match: RouteMatch): HttpAnswer {
  if (outcome.timedOut) return timedOutAnswer()
  if (outcome.error) return internalError()
  return toHttpAnswer(outcome.response, match.format)
}

function summaryOf(outcome: InvocationOutcome, status: number) {
  if (outcome.timedOut) return `${status} (timed out)`
  if (outcome.error) return `${status} (${outcome.error.errorType}: ${outcome.error.errorMessage})`
  return String(status)
}

export async function invokeHttp(
  fn: RunningFunction,
  match: RouteMatch,
  request: IncomingMessage,
  body: Buffer,
  response: ServerResponse,
): Promise<NewRecord> {
  const at = new Date().toISOString()
  const event = toHttpEvent(
    {
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      rawHeaders: request.rawHeaders,
      body,
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
    },
    match,
  )
  let streamedStatus: number | undefined
  const startStream = (statusCode = 200, headers: [string, string][] = []) => {
    if (streamedStatus !== undefined) return
    streamedStatus = statusCode
    response.writeHead(statusCode, headers.flat())
  }
  const outcome = await fn.invoke(event, {
    onPrelude: (prelude) => startStream(prelude.statusCode, preludeHeaders(prelude.headers, prelude.cookies)),
    onChunk: (chunk) => {
      startStream()
      response.write(chunk)
    },
  })
  let status: number
  if (streamedStatus !== undefined) {
    status = streamedStatus
    // A stream that fails half way cannot change its status any more: the connection is cut.
    if (outcome.error || outcome.timedOut) response.destroy()
    else response.end()
  } else {
    const answer = answerFor(outcome, match)
    status = answer.statusCode
    send(response, answer)
  }
  const path = new URL(request.url ?? '/', 'http://localhost').pathname
  return {
    ...outcomeFields(outcome),
    at,
    source: 'http',
    label: `${request.method} ${path}`,
    functionName: match.fn.functionName,
    status,
    summary: summaryOf(outcome, status),
    ok: status < 500 && !outcome.error && !outcome.timedOut,
    event,
    response: outcome.streamed ? '(streamed)' : outcome.response,
  }
}
