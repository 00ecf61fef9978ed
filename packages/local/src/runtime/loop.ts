// Lamina's runtime loop: what Lambda's Node runtime does inside the sandbox. It installs the
// `awslambda` global and core's lifecycle hooks, loads the handler (reporting a failure through
// `/init/error`), then polls `/next`, runs each invocation with a real context inside its own
// invoke store (as the Lambda runtime does) and posts the answer: buffered, or streamed when the
// handler was wrapped with `awslambda.streamifyResponse`.
import { InvokeStore } from '@aws/lambda-invoke-store'
import { type ErrorBody, formatError } from './errors.js'
import {
  highWaterMarkSymbol,
  isStreaming,
  loadHandler,
  RuntimeError,
  streamingSymbol,
  type UserHandler,
} from './handler-loader.js'
import { OutputCapture } from './output-capture.js'
import { HttpResponseStream, ResponseStream } from './response-stream.js'
import { type NextInvocation, RuntimeClient } from './runtime-client.js'
import { TimingRecorder } from './timings.js'

export interface RuntimeLoopOptions {
  /** `host:port` (`AWS_LAMBDA_RUNTIME_API`). */
  runtimeApi: string
  /** `_HANDLER`. */
  handler: string
  /** `LAMBDA_TASK_ROOT`. */
  taskRoot: string
  /** How many invocations run at once (`AWS_LAMBDA_MAX_CONCURRENCY`); 1 outside Managed Instances. */
  concurrency?: number
  /** Collect each invocation's stdout/stderr lines for the report (the child process does). */
  captureOutput?: boolean
}

export interface RuntimeLoop {
  /** Resolves when init ends: `true` when the handler loaded, `false` when init failed (reported). */
  readonly initialized: Promise<boolean>
  /** Stops polling (a `/next` in flight is abandoned) and removes the globals this loop installed. */
  stop(): void
}

const protectedKeys = {
  requestId: Symbol.for('_AWS_LAMBDA_REQUEST_ID'),
  traceId: Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID'),
  tenantId: Symbol.for('_AWS_LAMBDA_TENANT_ID'),
}

const header = (next: NextInvocation, name: string) => {
  const value = next.headers[name]
  return Array.isArray(value) ? value[0] : value
}

const parseJsonHeader = (value: string | undefined) => {
  if (value === undefined || value === '') return undefined
  try {
    return JSON.parse(value) as unknown
  } catch {
    return undefined
  }
}

function buildContext(next: NextInvocation, requestId: string, deadlineMs: number) {
  const env = process.env
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    invokedFunctionArn: header(next, 'lambda-runtime-invoked-function-arn') ?? '',
    awsRequestId: requestId,
    xRayTraceId: header(next, 'lambda-runtime-trace-id'),
    tenantId: header(next, 'lambda-runtime-aws-tenant-id'),
    clientContext: parseJsonHeader(header(next, 'lambda-runtime-client-context')),
    identity: parseJsonHeader(header(next, 'lambda-runtime-cognito-identity')),
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  }
}

/** Lambda's text log line for a runtime message (`<time>\t<request id>\tERROR\t…`). */
const errorLine = (requestId: string, label: string, body: ErrorBody) =>
  `${new Date().toISOString()}\t${requestId}\tERROR\t${label} \t${JSON.stringify(body)}\n`

/** The `awslambda` global the Lambda Node runtime provides. */
export function installAwsLambdaGlobal() {
  const global = globalThis as { awslambda?: Record<string, unknown> }
  global.awslambda = {
    ...global.awslambda,
    streamifyResponse(handler: UserHandler, options?: { highWaterMark?: number }) {
      handler[streamingSymbol] = 'response'
      if (typeof options?.highWaterMark === 'number') handler[highWaterMarkSymbol] = options.highWaterMark
      return handler
    },
    HttpResponseStream,
  }
}

export function startRuntimeLoop(options: RuntimeLoopOptions): RuntimeLoop {
  const client = new RuntimeClient(options.runtimeApi)
  const timings = new TimingRecorder()
  const output = options.captureOutput ? new OutputCapture() : undefined
  const concurrency = Math.max(1, options.concurrency ?? 1)
  let stopped = false

  installAwsLambdaGlobal()
  timings.install()
  output?.install()

  async function report(requestId: string) {
    const logs = output?.take(requestId) ?? []
    const body = JSON.stringify({ timings: timings.end(requestId), logs })
    await client.post(`/lamina/v1/invocation/${encodeURIComponent(requestId)}/report`, body)
  }

  async function fail(requestId: string, error: unknown) {
    const body = formatError(error)
    process.stderr.write(errorLine(requestId, 'Invoke Error', body))
    await report(requestId)
    await client.post(`/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/error`, JSON.stringify(body), {
      'Lambda-Runtime-Function-Error-Type': body.errorType,
    })
  }

  async function runBuffered(handler: UserHandler, requestId: string, event: unknown, context: object) {
    let body: string
    try {
      const result = await handler(event, context)
      body = JSON.stringify(result) ?? 'null'
    } catch (error) {
      return fail(requestId, error)
    }
    await report(requestId)
    await client.post(`/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/response`, body)
  }

  async function runStreamed(handler: UserHandler, requestId: string, event: unknown, context: object) {
    const { call, answered } = client.openStream(requestId)
    const highWaterMark = handler[highWaterMarkSymbol]
    const stream = new ResponseStream(call, typeof highWaterMark === 'number' ? highWaterMark : undefined)
    try {
      const result = handler(event, stream, context)
      if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') {
        throw new Error('Streaming handlers must be async (return a promise): declare the handler async.')
      }
      await result
      // A handler that returned without ending its stream: end it rather than hang until the timeout.
      if (!stream.writableEnded) stream.end()
      await new Promise<void>((resolve, reject) => {
        if (stream.writableFinished) return resolve()
        stream.once('finish', resolve)
        stream.once('error', reject)
      })
      await report(requestId)
    } catch (error) {
      const body = formatError(error)
      process.stderr.write(errorLine(requestId, 'Invoke Error', body))
      await report(requestId)
      stream.fail(body.errorType, JSON.stringify(body))
    }
    await answered
  }

  async function runOne(handler: UserHandler, store: Awaited<ReturnType<typeof InvokeStore.getInstanceAsync>>) {
    const next = await client.next()
    const startedAt = performance.now()
    const requestId = header(next, 'lambda-runtime-aws-request-id') ?? ''
    const deadlineMs = Number(header(next, 'lambda-runtime-deadline-ms'))
    const traceId = header(next, 'lambda-runtime-trace-id')
    const context = buildContext(next, requestId, deadlineMs)
    // One invocation at a time: the trace header is the process's (as Lambda sets it); with many,
    // only the invoke store knows which trace belongs to which invocation.
    if (concurrency === 1) {
      if (traceId === undefined) delete process.env._X_AMZN_TRACE_ID
      else process.env._X_AMZN_TRACE_ID = traceId
    }
    timings.begin(requestId, startedAt)
    const run = async () => {
      let event: unknown
      try {
        event = JSON.parse(next.body)
      } catch (error) {
        return fail(requestId, error)
      }
      if (isStreaming(handler)) return runStreamed(handler, requestId, event, context)
      return runBuffered(handler, requestId, event, context)
    }
    const inStore = () =>
      store.run(
        {
          [protectedKeys.requestId]: requestId,
          [protectedKeys.traceId]: traceId,
          ...(context.tenantId === undefined ? {} : { [protectedKeys.tenantId]: context.tenantId }),
        },
        run,
      )
    await (output ? output.run(requestId, inStore) : inStore())
  }

  async function poll(handler: UserHandler, store: Awaited<ReturnType<typeof InvokeStore.getInstanceAsync>>) {
    while (!stopped) await runOne(handler, store)
  }

  async function init(): Promise<UserHandler | undefined> {
    try {
      const handler = await loadHandler(options.taskRoot, options.handler)
      if (handler.length >= 3 && !isStreaming(handler)) {
        throw new RuntimeError(
          'Runtime.CallbackHandlerDeprecated',
          `${options.handler} takes a callback (3 parameters): the Node.js 24 runtime no longer supports callback handlers. Make it async and return the result.`,
        )
      }
      return handler
    } catch (error) {
      const body = formatError(error)
      process.stderr.write(errorLine('', 'Init Error', body).replace('\t\t', '\tundefined\t'))
      await client.post('/2018-06-01/runtime/init/error', JSON.stringify(body), {
        'Lambda-Runtime-Function-Error-Type': body.errorType,
      })
      return undefined
    }
  }

  const initialized = (async () => {
    // The store first, then the module: Powertools finds the store the runtime created.
    const store = await InvokeStore.getInstanceAsync()
    const handler = await init()
    if (handler === undefined) return false
    for (let loop = 0; loop < concurrency; loop++) {
      poll(handler, store).catch(() => {
        // The emulator went away (its process is being stopped): nothing left to answer.
        stopped = true
      })
    }
    return true
  })()

  return {
    initialized,
    stop() {
      stopped = true
      client.close()
      timings.uninstall()
      output?.uninstall()
    },
  }
}
