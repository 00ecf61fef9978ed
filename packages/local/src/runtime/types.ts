/** How to run one function locally, as Lambda would run it. */
export interface LocalFunctionOptions {
  /** `path/to/file.export`, as Lambda's `_HANDLER`, relative to `cwd` (.js, .mjs, .cjs; .ts, .mts, .cts through tsx). */
  handler: string
  /** The function's root (`LAMBDA_TASK_ROOT`). Default: `process.cwd()`. */
  cwd?: string
  /** Extra environment variables, set after Lambda's own. */
  env?: Record<string, string>
  /** Seconds an invocation may run before its process is killed. Default 3, as Lambda. */
  timeoutSeconds?: number
  /** `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` and `context.memoryLimitInMB`. Default 128. */
  memoryMb?: number
  /** More than 1: Managed Instances mode (`AWS_LAMBDA_MAX_CONCURRENCY`, one invoke store per invocation). */
  concurrency?: number
  /** `AWS_LAMBDA_FUNCTION_NAME`. Default: the handler's file name. */
  functionName?: string
  /** `AWS_REGION`. Default: the parent's `AWS_REGION`, else `us-east-1`. */
  region?: string
  /** Every line the function's process writes, as it arrives (the invocation's own lines are also in its result). */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void
  /** The Node binary that runs the function (for example a Node 24 binary, as nodejs24.x). Default: this process's. */
  nodePath?: string
  /**
   * Another runtime client to run instead of Lamina's loop (for example the real `aws-lambda-ric`):
   * the command and its arguments; it gets the same environment and polls the same emulator.
   */
  runtimeCommand?: { command: string; args: string[] }
}

export type TimingPhase = 'before' | 'after' | 'onError' | 'cleanup' | 'handler'

/** One middleware hook (or the handler) as core's lifecycle hooks saw it, in ms from the invocation's start. */
export interface MiddlewareTiming {
  phase: TimingPhase
  middleware: string
  startMs: number
  endMs: number
}

export interface InvocationError {
  errorType: string
  errorMessage: string
  stackTrace?: string[]
}

/** The metadata a streamed HTTP response sends before its body (`awslambda.HttpResponseStream.from`). */
export interface StreamPrelude {
  statusCode?: number
  headers?: Record<string, string>
  cookies?: string[]
}

export interface InvocationResult {
  requestId: string
  /** The first invocation of a fresh process. */
  cold: boolean
  /** Where it failed or ended: `init` when the module could not be loaded (no invocation ran). */
  phase: 'init' | 'invoke'
  /** From hand-out to the runtime until its answer, in ms. */
  durationMs: number
  /** The process ran past its timeout and was killed; the next invocation is cold. */
  timedOut: boolean
  /** The parsed payload when the function answered (the text when it is not JSON); a streamed body as text, also when it failed midway. */
  response?: unknown
  error?: InvocationError
  /** Lines the function wrote during this invocation. */
  logs: string[]
  /** Per-middleware timings from core's lifecycle hooks (empty under another runtime client). */
  timings: MiddlewareTiming[]
  /** The function streamed its response (see `onChunk`). */
  streamed?: boolean
  /** The HTTP prelude of a streamed response, when it sent one. */
  prelude?: StreamPrelude
}

export interface InvokeOptions {
  /** Each body chunk of a streamed response as it arrives (after the prelude). */
  onChunk?: (chunk: Uint8Array) => void
  /** The HTTP prelude of a streamed response, before its first body chunk. */
  onPrelude?: (prelude: StreamPrelude) => void
  /** The request id to use. Default: a fresh UUID. */
  requestId?: string
  /** The X-Ray trace id (`1-…-…`). Default: a fresh one. */
  traceId?: string
}

export interface LocalFunction {
  invoke(event: unknown, options?: InvokeOptions): Promise<InvocationResult>
  /** Stops the function's process: the next invocation is cold (after a file change). */
  restart(): Promise<void>
  close(): Promise<void>
  /** The emulator's base URL (`http://127.0.0.1:<port>`). */
  readonly runtimeApi: string
}
