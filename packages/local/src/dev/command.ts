// `lamina dev [example-dir]`: parses the command line, starts the dev server, runs until Ctrl-C.
import { parseArgs } from 'node:util'
import { devError, isDevError } from './errors.js'
import type { StartFunction } from './runner.js'
import { parseDuration } from './schedule.js'
import { type DevServer, type DevServerOptions, startDevServer } from './server.js'
import type { HttpEventFormat } from './template.js'

export const devUsage = `Usage: lamina dev [example-dir] [options]

Serves the functions of example-dir/template.yaml on http://localhost:3000, each run as Lambda runs
it, restarted when its files change. The inspector is at /_lamina.

Options:
  -p, --port <n>            port to listen on (default 3000; 0 picks a free one)
      --host <address>      address to listen on (default 127.0.0.1)
      --event <format>      HTTP event for every route: v2 (HTTP API), v1 (REST API), alb or url
                            (default: what each route's template event says, v2 for HttpApi)
      --handler <file.fn>   no template: this handler answers every request (src/handler.handler)
      --concurrency <n>     run up to n invocations at once in one process (Managed Instances)
      --schedule            fire scheduled functions on their rate (rate(5 minutes))
      --schedule-every <d>  fire them every d instead (500ms, 10s, 2m), cron schedules too
      --no-watch            do not restart functions when files change
  -h, --help                this text

SQS: POST /_lamina/sqs/<function> with a JSON array of message bodies.
S3:  PUT, GET, DELETE /_lamina/s3/<bucket>/<key> (the local S3, when the template has buckets).`

export interface CommandIo {
  out?: (line: string) => void
  err?: (line: string) => void
  /** Stops the server (the CLI stops on SIGINT and SIGTERM). */
  signal?: AbortSignal
  /** Called once the server listens. */
  onListening?: (server: DevServer) => void
  startFunction?: StartFunction
}

const formats: HttpEventFormat[] = ['v2', 'v1', 'alb', 'url']

function integer(name: string, text: string, min: number, max: number) {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw devError(
      `--${name} "${text}" is not a whole number from ${min} to ${max}`,
      `pass e.g. --${name} ${name === 'port' ? 3000 : 8}`,
    )
  }
  return value
}

/** The server options the command line asks for; `help` when it asks for the usage text. */
export function parseDevArgs(args: string[]): Omit<DevServerOptions, 'startFunction'> | 'help' {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(args)
  } catch (error) {
    throw devError((error as Error).message.replace(/\. To specify.*$/s, ''), 'run lamina dev --help for the options')
  }
  const { values, positionals } = parsed
  if (values.help) return 'help'
  if (positionals.length > 1) {
    throw devError(`one example folder at a time (got ${positionals.join(', ')})`, 'run lamina dev <example-dir>')
  }
  if (values.event !== undefined && !formats.includes(values.event as HttpEventFormat)) {
    throw devError(`--event "${values.event}" is not an HTTP event format`, `pass one of ${formats.join(', ')}`)
  }
  return {
    dir: positionals[0] ?? '.',
    port: values.port === undefined ? 3000 : integer('port', values.port, 0, 65535),
    ...(values.host ? { host: values.host } : {}),
    ...(values.event ? { format: values.event as HttpEventFormat } : {}),
    ...(values.handler ? { handler: values.handler } : {}),
    ...(values.concurrency ? { concurrency: integer('concurrency', values.concurrency, 1, 1000) } : {}),
    schedule: Boolean(values.schedule || values['schedule-every']),
    ...(values['schedule-every'] ? { scheduleEveryMs: parseDuration(values['schedule-every']) } : {}),
    watch: !values['no-watch'],
  }
}

const parse = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      event: { type: 'string' },
      handler: { type: 'string' },
      concurrency: { type: 'string' },
      schedule: { type: 'boolean' },
      'schedule-every': { type: 'string' },
      'no-watch': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })

const defaultStart: StartFunction = async (options) => {
  const { startLocalFunction } = await import('../runtime/local-function.js')
  return startLocalFunction(options)
}

/** Runs `lamina dev`; resolves with the exit code once the server stops. */
export async function devCommand(args: string[], io: CommandIo = {}): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`))
  const err = io.err ?? ((line: string) => process.stderr.write(`${line}\n`))
  let server: DevServer
  try {
    const options = parseDevArgs(args)
    if (options === 'help') {
      out(devUsage)
      return 0
    }
    server = await startDevServer({ ...options, print: out, startFunction: io.startFunction ?? defaultStart })
  } catch (error) {
    if (!isDevError(error)) throw error
    err(`lamina dev: ${error.message}`)
    return 1
  }
  io.onListening?.(server)
  const signal = io.signal ?? processSignals()
  if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
  await server.close()
  return 0
}

function processSignals() {
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return controller.signal
}
