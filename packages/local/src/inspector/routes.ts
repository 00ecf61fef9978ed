// The inspector's endpoints: the page, the last invocations as JSON, and a live stream of new ones
// (server-sent events, so the page needs no framework and no polling).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { InvocationHistory } from '../dev/history.js'
import { inspectorPage } from './page.js'

function stream(request: IncomingMessage, response: ServerResponse, history: InvocationHistory) {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  })
  response.write('retry: 1000\n\n')
  const unsubscribe = history.subscribe((record) => response.write(`data: ${JSON.stringify(record)}\n\n`))
  // A comment now and then keeps proxies and idle timeouts from closing a quiet stream.
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000).unref()
  request.on('close', () => {
    clearInterval(keepAlive)
    unsubscribe()
  })
}

export function handleInspector(
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
  history: InvocationHistory,
) {
  if (request.method === 'GET' && (path === '/_lamina' || path === '/_lamina/')) {
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' })
      .end(inspectorPage)
    return
  }
  if (request.method === 'GET' && path === '/_lamina/invocations') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(history.list()))
    return
  }
  if (request.method === 'GET' && path === '/_lamina/events') return stream(request, response, history)
  const message = `No inspector endpoint ${request.method} ${path}. There are GET /_lamina, GET /_lamina/invocations, GET /_lamina/events and POST /_lamina/sqs/<function>.`
  response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message }))
}
