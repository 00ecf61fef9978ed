// One function run as Lambda runs it: a child process (Lamina's runtime loop, or another runtime
// client such as aws-lambda-ric) polls this function's own Runtime API emulator. The process stays
// warm between invocations; past its timeout it is killed and the next invocation starts a new one.
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { defaultFunctionName, lambdaEnvironment } from './environment.js'
import { findHandlerFile, parseHandlerName } from './handler-loader.js'
import { parseErrorBody, type RuntimeApi, type RuntimeOutcome, startRuntimeApi } from './runtime-api.js'
import type { InvocationError, InvocationResult, InvokeOptions, LocalFunction, LocalFunctionOptions } from './types.js'

/** Lambda's init phase limit; a slower init fails the invocation that waited for it. */
const initLimitMs = 10_000

// This module runs from src (tests, tsx) or bundled into dist (index.js, cli.js).
const moduleUrl: string = typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url
const fromSource = moduleUrl.endsWith('.ts')

/** The runtime loop's entry: src/runtime/child.ts from source, dist/runtime-child.js when built. */
export const childEntry = fileURLToPath(new URL(fromSource ? './child.ts' : './runtime-child.js', moduleUrl))

/** tsx's loader, for TypeScript handlers (and the loop itself when it runs from source). */
function tsxImport(): string {
  const require = createRequire(moduleUrl)
  return pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist/loader.mjs')).href
}

interface Line {
  text: string
  stream: 'stdout' | 'stderr'
}

interface Instance {
  process: ChildProcess
  lines: Line[]
  /** Invocations handed to this process so far: the first is the cold one. */
  invocations: number
  /** Resolves with the init error when init fails. */
  initFailed: Promise<InvocationError>
  reportInitError(error: InvocationError): void
  /** Resolves when the process has exited and its output is read to the end. */
  exited: Promise<string>
}

const secondsText = (seconds: number) => seconds.toFixed(2)

function validate(options: LocalFunctionOptions) {
  if (typeof options?.handler !== 'string' || options.handler === '') {
    throw new TypeError('startLocalFunction needs { handler: "path/to/file.export" }, as Lambda\'s handler setting.')
  }
  parseHandlerName(options.handler)
  const timeout = options.timeoutSeconds ?? 3
  if (!(Number.isFinite(timeout) && timeout > 0 && timeout <= 900)) {
    throw new RangeError(`timeoutSeconds must be a number of seconds from 1 to 900 (Lambda's range); got ${timeout}.`)
  }
  const concurrency = options.concurrency ?? 1
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new RangeError(`concurrency must be a whole number ≥ 1; got ${concurrency}.`)
  }
}

function toError(outcome: RuntimeOutcome): InvocationError {
  const parsed = outcome.streamError ?? parseErrorBody(outcome.body)
  return {
    errorType: parsed.errorType,
    errorMessage: parsed.errorMessage,
    ...(parsed.trace === undefined ? {} : { stackTrace: parsed.trace }),
  }
}

function parsePayload(body: Buffer): unknown {
  const text = body.toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export async function startLocalFunction(options: LocalFunctionOptions): Promise<LocalFunction> {
  validate(options)
  const taskRoot = resolve(options.cwd ?? process.cwd())
  const timeoutSeconds = options.timeoutSeconds ?? 3
  const concurrency = options.concurrency ?? 1
  const functionName = options.functionName ?? defaultFunctionName(options.handler)
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1'
  const functionArn = `arn:aws:lambda:${region}:123456789012:function:${functionName}`
  const api: RuntimeApi = await startRuntimeApi()
  let instance: Instance | undefined

  api.on('initError', (error) => {
    instance?.reportInitError({
      errorType: error.errorType,
      errorMessage: error.errorMessage,
      ...(error.trace === undefined ? {} : { stackTrace: error.trace }),
    })
  })

  function command(): { command: string; args: string[] } {
    if (options.runtimeCommand) return options.runtimeCommand
    const file = findHandlerFile(taskRoot, options.handler)
    const typescript = fromSource || (file !== undefined && /\.[mc]?ts$/.test(file))
    return {
      command: options.nodePath ?? process.execPath,
      args: [...(typescript ? ['--import', tsxImport()] : []), childEntry],
    }
  }

  function spawnInstance(): Instance {
    const { command: executable, args } = command()
    const child = spawn(executable, args, {
      cwd: taskRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: lambdaEnvironment({
        handler: options.handler,
        taskRoot,
        runtimeApi: api.address,
        functionName,
        memoryMb: options.memoryMb ?? 128,
        concurrency,
        region,
        env: options.env ?? {},
      }),
    })
    const lines: Line[] = []
    const read = (readable: NodeJS.ReadableStream, stream: Line['stream']) =>
      new Promise<void>((done) => {
        let rest = ''
        readable.setEncoding('utf8')
        const emit = (text: string) => {
          lines.push({ text, stream })
          options.onOutput?.(text, stream)
        }
        readable.on('data', (chunk: string) => {
          const parts = (rest + chunk).split('\n')
          rest = parts.pop() ?? ''
          for (const part of parts) emit(part)
        })
        readable.on('end', () => {
          if (rest !== '') emit(rest)
          done()
        })
      })
    const outputRead = Promise.all([read(child.stdout!, 'stdout'), read(child.stderr!, 'stderr')])
    const exited = new Promise<string>((done) => {
      child.once('error', (error) => done(`could not start (${error.message})`))
      child.once('exit', (code, signal) => {
        // A crash: its held `/next` must not receive the next invocation. (A process stopped on
        // purpose had its `/next` dropped before the kill; a successor may be polling by now.)
        if (instance?.process === child) {
          api.dropWaiting()
          instance = undefined
        }
        void outputRead.then(() => done(signal === null ? `exit status ${code}` : `signal ${signal}`))
      })
    })
    let reportInitError = (_: InvocationError) => {}
    const initFailed = new Promise<InvocationError>((report) => {
      reportInitError = report
    })
    return { process: child, lines, invocations: 0, initFailed, reportInitError, exited }
  }

  async function stop(target: Instance | undefined) {
    if (target === undefined) return
    if (instance === target) instance = undefined
    api.dropWaiting()
    if (target.process.exitCode === null && target.process.signalCode === null) target.process.kill('SIGKILL')
    await target.exited
  }

  function reportOrExit(requestId: string, target: Instance): Promise<unknown> {
    if (api.hasReport(requestId)) return Promise.resolve()
    let listener = (_: string) => {}
    const reported = new Promise<void>((done) => {
      listener = (id) => {
        if (id === requestId) done()
      }
      api.on('report', listener)
    })
    return Promise.race([reported, target.exited]).finally(() => api.off('report', listener))
  }

  const logsSince = (target: Instance, from: number) => target.lines.slice(from).map((line) => line.text)

  async function invoke(event: unknown, invokeOptions: InvokeOptions = {}): Promise<InvocationResult> {
    instance ??= spawnInstance()
    const current = instance
    const cold = current.invocations === 0
    current.invocations++
    const firstLine = current.lines.length
    const queued = api.enqueue(event, {
      timeoutMs: timeoutSeconds * 1000,
      functionArn,
      ...(invokeOptions.requestId === undefined ? {} : { requestId: invokeOptions.requestId }),
      ...(invokeOptions.traceId === undefined ? {} : { traceId: invokeOptions.traceId }),
      ...(invokeOptions.onChunk === undefined ? {} : { onChunk: invokeOptions.onChunk }),
      ...(invokeOptions.onPrelude === undefined ? {} : { onPrelude: invokeOptions.onPrelude }),
    })
    const { requestId } = queued
    const failed = (error: InvocationError, extra: Partial<InvocationResult> = {}): InvocationResult => ({
      requestId,
      cold,
      phase: 'invoke',
      durationMs: 0,
      timedOut: false,
      error,
      logs: logsSince(current, firstLine),
      timings: [],
      ...extra,
    })
    const exitError = (status: string): InvocationError => ({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${status}`,
    })

    // Init: the process takes the invocation, reports a failed init, exits, or runs out of time.
    let initTimer: NodeJS.Timeout | undefined
    const init = await Promise.race([
      queued.handedOut.then((handedOut) => ({ kind: 'handedOut' as const, handedOut })),
      current.initFailed.then((error) => ({ kind: 'initError' as const, error })),
      current.exited.then((status) => ({ kind: 'exited' as const, status })),
      new Promise<{ kind: 'initTimeout' }>((done) => {
        initTimer = setTimeout(() => done({ kind: 'initTimeout' }), Math.max(initLimitMs, timeoutSeconds * 1000))
      }),
    ])
    clearTimeout(initTimer)
    if (init.kind !== 'handedOut') {
      api.cancel(requestId)
      await stop(current)
      const logs = logsSince(current, firstLine)
      if (init.kind === 'initError') return failed(init.error, { phase: 'init', logs })
      if (init.kind === 'exited') return failed(exitError(init.status), { phase: 'init', logs })
      return failed(
        {
          errorType: 'Runtime.InitTimeout',
          errorMessage: `The function's init did not finish in ${Math.max(initLimitMs, timeoutSeconds * 1000) / 1000} s: look for a top-level await that never settles.`,
        },
        { phase: 'init', timedOut: true, logs },
      )
    }

    // Run: the answer, the deadline (the process is killed, as Lambda does), or an early exit.
    // From the hand-out (the deadline header was set then), not from when this line runs.
    const started = performance.now() - Math.max(0, Date.now() - (init.handedOut.deadlineMs - timeoutSeconds * 1000))
    let deadlineTimer: NodeJS.Timeout | undefined
    const ran = await Promise.race([
      queued.outcome.then((outcome) => ({ kind: 'answered' as const, outcome })),
      current.exited.then((status) => ({ kind: 'exited' as const, status })),
      new Promise<{ kind: 'timedOut' }>((done) => {
        deadlineTimer = setTimeout(
          () => done({ kind: 'timedOut' }),
          Math.max(0, init.handedOut.deadlineMs - Date.now()),
        )
      }),
    ])
    clearTimeout(deadlineTimer)
    const durationMs = performance.now() - started
    if (ran.kind === 'timedOut') {
      api.cancel(requestId)
      await stop(current)
      return failed(
        {
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${requestId} Error: Task timed out after ${secondsText(timeoutSeconds)} seconds`,
        },
        { durationMs, timedOut: true, logs: logsSince(current, firstLine) },
      )
    }
    if (ran.kind === 'exited' || ran.outcome === undefined) {
      api.cancel(requestId)
      const status = ran.kind === 'exited' ? ran.status : await current.exited
      return failed(exitError(status), { durationMs, logs: logsSince(current, firstLine) })
    }
    const { outcome } = ran
    // Lamina's loop reports a streamed invocation once its stream has ended, so after the answer:
    // wait for it (or for the process to die). Other runtime clients send no report.
    if (outcome.streamed && options.runtimeCommand === undefined) await reportOrExit(requestId, current)
    const report = api.takeReport(requestId)
    const result: InvocationResult = {
      requestId,
      cold,
      phase: 'invoke',
      durationMs,
      timedOut: false,
      logs: report?.logs ?? logsSince(current, firstLine),
      timings: (report?.timings ?? []) as InvocationResult['timings'],
    }
    if (outcome.streamed) {
      result.streamed = true
      if (outcome.prelude !== undefined) result.prelude = outcome.prelude
    }
    // A stream that failed midway still delivered its first bytes: both are shown.
    if (outcome.streamed) result.response = outcome.body.toString('utf8')
    if (outcome.kind === 'error') result.error = toError(outcome)
    else if (!outcome.streamed) result.response = parsePayload(outcome.body)
    return result
  }

  return {
    runtimeApi: api.url,
    invoke,
    restart: () => stop(instance),
    async close() {
      await stop(instance)
      await api.close()
    },
  }
}
