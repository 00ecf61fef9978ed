// `lamina dev`: an HTTP server on localhost in front of an example's functions, each run by the
// local runtime as Lambda runs it. Routes come from the SAM template; /_lamina is the inspector.
import { EventEmitter } from 'node:events'
import { existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { relative, resolve } from 'node:path'
import { events } from '@lamina/testing'
import { handleInspector } from '../inspector/routes.js'
import { devHandler } from './bundle.js'
import { deliverToQueue, invokeEvent } from './deliveries.js'
import { devError } from './errors.js'
import { InvocationHistory, type NewRecord, outcomeFields } from './history.js'
import { notFoundAnswer } from './http-response.js'
import { invokeHttp } from './invoke-http.js'
import { formatLine } from './log-line.js'
import { createRouter, type Router } from './routes.js'
import type { RunningFunction, StartFunction } from './runner.js'
import { proxyS3 } from './s3-route.js'
import { rateMs } from './schedule.js'
import { BadSqsBody, invokeSqs, parseMessages } from './sqs.js'
import { checkRules } from './stand-ins/eventbridge.js'
import { type StandIns, startStandIns } from './stand-ins.js'
import {
  type ExampleTemplate,
  type FunctionSpec,
  functionFromHandler,
  type HttpEventFormat,
  loadTemplate,
} from './template.js'
import { type Watcher, watchSources } from './watch.js'

export interface DevServerOptions {
  /** The example's folder: it holds template.yaml. */
  dir: string
  /** Default 3000; 0 picks a free port. */
  port?: number
  host?: string
  /** Every route's event format, whatever the template says. */
  format?: HttpEventFormat
  concurrency?: number
  /** Fire scheduled functions on their rate. */
  schedule?: boolean
  /** Fire them this often instead (ms), cron schedules included. */
  scheduleEveryMs?: number
  /** Restart functions when their files change. Default true. */
  watch?: boolean
  /** No template: this one handler answers everything (`src/handler.handler`). */
  handler?: string
  /** Where terminal lines go. Default: stdout. */
  print?: (line: string) => void
  /** The local runtime. */
  startFunction: StartFunction
}

export interface DevServer
  extends EventEmitter<{
    invocation: [NewRecord]
    /** After each restart; `error` when it failed (the previous functions keep serving then). */
    restart: [{ files: string[]; ms: number; error?: Error }]
  }> {
  readonly url: string
  readonly port: number
  readonly history: InvocationHistory
  readonly template: ExampleTemplate
  close(): Promise<void>
}

const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

const sendJson = (response: ServerResponse, status: number, value: unknown) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value))

function exampleDir(dir: string) {
  const absolute = resolve(dir)
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    throw devError(
      `no example folder at ${dir}`,
      'pass a folder holding a template.yaml, e.g. lamina dev examples/api-backend',
    )
  }
  return absolute
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string) {
  return new Promise<void>((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(devError(`port ${port} is in use`, 'stop what is using it or pass --port <another>'))
      } else reject(devError(`cannot listen on ${host}:${port} (${error.code})`, 'check --host and --port'))
    })
    server.listen(port, host, resolvePromise)
  })
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const dir = exampleDir(options.dir)
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`))
  let template = options.handler ? functionFromHandler(dir, options.handler) : loadTemplate(dir)
  let router: Router = createRouter(template.functions, options.format)
  const history = new InvocationHistory()
  const emitter = new EventEmitter() as DevServer
  let functions = new Map<string, RunningFunction>()
  const running = (fn: FunctionSpec) => functions.get(fn.id) as RunningFunction
  const record = (entry: NewRecord) => {
    history.add(entry)
    print(formatLine(entry))
    emitter.emit('invocation', entry)
  }
  const standIns: StandIns = await startStandIns(dir, {
    ...(template.resources ? { resources: template.resources } : {}),
    functions: () => template.functions,
    // A delivery nobody awaits (an object a function wrote, a function's own event) must not fail
    // the process: what went wrong is printed instead.
    deliverToQueue: (queue, body, label) =>
      deliverToQueue(template.functions, running, record, print, { queue, body, label }).catch((error: Error) => {
        print(`${label} → not delivered (${error.message})`)
        return []
      }),
    deliverEvent: (fn, rule, event) =>
      invokeEvent(running(fn), fn, rule, event).then(record, (error: Error) => {
        print(
          `EventBridge ${event.source} ${event['detail-type']} → rule ${rule.name} → not delivered (${error.message})`,
        )
      }),
    print,
  })

  // TypeScript sources run from their bundles (see bundle.ts), with stack traces on the .ts lines.
  const bundleAll = () => Promise.all(template.functions.map((fn) => devHandler(dir, fn)))
  const startAll = async () => {
    const handlers = await bundleAll()
    const started = await Promise.all(
      template.functions.map(async (fn, index) => {
        const handler = handlers[index] as string
        const sourceMaps: Record<string, string> =
          handler === fn.handler
            ? {}
            : { NODE_OPTIONS: `${fn.environment.NODE_OPTIONS ?? ''} --enable-source-maps`.trim() }
        const running = await options.startFunction({
          handler,
          cwd: dir,
          env: { ...standIns.envFor(fn.id), ...fn.environment, ...sourceMaps },
          timeoutSeconds: fn.timeoutSeconds,
          memoryMb: fn.memoryMb,
          functionName: fn.functionName,
          ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        })
        return [fn.id, running] as const
      }),
    )
    functions = new Map(started)
  }
  const closeAll = () => Promise.all([...functions.values()].map((fn) => fn.close()))

  const findFunction = (name: string) => template.functions.find((fn) => fn.id === name || fn.functionName === name)

  const onSqs = async (name: string, body: Buffer, response: ServerResponse) => {
    const fn = findFunction(name)
    if (!fn) {
      const known = template.functions.map((f) => f.id).join(', ')
      return sendJson(response, 404, { message: `No function "${name}" in the template. Functions: ${known}.` })
    }
    try {
      const { answer, record: entry } = await invokeSqs(running(fn), fn, parseMessages(body.toString('utf8')))
      record(entry)
      sendJson(response, 200, answer)
    } catch (error) {
      if (error instanceof BadSqsBody) return sendJson(response, 400, { message: error.message })
      throw error
    }
  }

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request)
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (path === '/_lamina' || path.startsWith('/_lamina/')) {
      const sqs = /^\/_lamina\/sqs\/([^/]+)$/.exec(path)
      if (sqs && request.method === 'POST') return onSqs(decodeURIComponent(sqs[1] as string), body, response)
      const s3 = /^\/_lamina\/s3\/([^/]+)\/(.+)$/.exec(path)
      if (s3) return proxyS3(standIns.s3, request, s3[1] as string, s3[2] as string, body, response)
      return handleInspector(path, request, response, history)
    }
    const match = router(request.method ?? 'GET', path)
    if (!match) {
      const answer = notFoundAnswer()
      print(`${request.method} ${path} → 404 (no route in the template)`)
      return response.writeHead(answer.statusCode, answer.headers.flat()).end(answer.body)
    }
    record(await invokeHttp(running(match.fn), match, request, body, response))
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      print(`${request.method} ${request.url} → 502 (${error.message})`)
      if (!response.headersSent) sendJson(response, 502, { message: 'Internal server error' })
      else response.destroy()
    })
  })

  try {
    await startAll()
    await listen(server, options.port ?? 3000, options.host ?? '127.0.0.1')
  } catch (error) {
    await Promise.all([closeAll(), standIns.close()])
    throw error
  }

  // Restart on change: a changed template re-reads routes and functions; any other file restarts them.
  let restarting: Promise<void> = Promise.resolve()
  const onChange = (files: string[]) => {
    const started = performance.now()
    restarting = restarting.then(async () => {
      try {
        if (!options.handler && files.some((file) => file === 'template.yaml')) {
          const next = loadTemplate(dir)
          checkRules(next.functions)
          await closeAll()
          template = next
          router = createRouter(template.functions, options.format)
          await startAll()
        } else {
          await bundleAll()
          await Promise.all([...functions.values()].map((fn) => fn.restart()))
        }
        const ms = performance.now() - started
        print(`↻ ${files.join(', ')} changed: restarted in ${ms.toFixed(0)} ms`)
        emitter.emit('restart', { files, ms })
      } catch (error) {
        print(`↻ ${files.join(', ')} changed, but the restart failed: ${(error as Error).message}`)
        emitter.emit('restart', { files, ms: performance.now() - started, error: error as Error })
      }
    })
  }
  const watcher: Watcher | undefined = options.watch === false ? undefined : watchSources(dir, onChange)

  // Schedules: each function's rate (or --schedule-every), fired with EventBridge's Scheduled Event.
  const timers: NodeJS.Timeout[] = []
  if (options.schedule) {
    for (const fn of template.functions) {
      for (const { rule, expression } of fn.schedules) {
        const every = options.scheduleEveryMs ?? rateMs(expression)
        if (every === undefined) {
          print(`schedule ${rule} (${expression}) is not fired locally: pass --schedule-every 1m to fire it`)
          continue
        }
        timers.push(setInterval(() => fireSchedule(fn, rule, expression), every))
      }
    }
  }
  const fireSchedule = async (fn: FunctionSpec, rule: string, expression: string) => {
    const at = new Date().toISOString()
    const event = events.scheduled(rule)
    const outcome = await running(fn).invoke(event)
    const failed = outcome.timedOut
      ? 'timed out'
      : outcome.error
        ? `${outcome.error.errorType}: ${outcome.error.errorMessage}`
        : undefined
    record({
      ...outcomeFields(outcome),
      at,
      source: 'schedule',
      label: `schedule ${rule} (${expression})`,
      functionName: fn.functionName,
      summary: failed ?? 'done',
      ok: failed === undefined,
      event,
    })
  }

  const port = (server.address() as AddressInfo).port
  const url = `http://localhost:${port}`
  print(
    `lamina dev: ${relative(process.cwd(), dir) || '.'} (${template.functions.length} function${template.functions.length === 1 ? '' : 's'})`,
  )
  for (const fn of template.functions) {
    const routes = fn.routes.map((route) =>
      route.path === '$default'
        ? `${route.method === 'ANY' ? '' : `${route.method} `}/*`
        : `${route.method === 'ANY' ? '' : `${route.method} `}${route.path}`,
    )
    const sources = [
      ...routes,
      ...fn.queues.map((queue) => `SQS ${queue} (POST /_lamina/sqs/${fn.id})`),
      ...fn.schedules.map((s) => s.expression),
      ...(fn.rules ?? []).map((rule) => `EventBridge rule ${rule.name} on ${rule.bus}`),
    ]
    print(
      `  ${fn.id} (${fn.handler}): ${sources.join(', ') || (template.functions.length === 1 ? 'every request' : 'no events')}`,
    )
  }
  for (const line of standIns.descriptions) print(`  stand-in: ${line}`)
  print(`  inspector: ${url}/_lamina`)
  print(`listening on ${url}`)

  Object.defineProperty(emitter, 'template', { get: () => template })
  return Object.assign(emitter, {
    url,
    port,
    history,
    async close() {
      for (const timer of timers) clearInterval(timer)
      watcher?.close()
      await restarting
      server.closeAllConnections()
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()))
      await Promise.all([closeAll(), standIns.close()])
    },
  })
}
