// The shape of the local runtime the dev server drives (packages/local/src/runtime). Declared
// here structurally so the server can be given another implementation (tests use the real one).
export interface MiddlewareTiming {
  phase: string
  middleware: string
  startMs: number
  endMs: number
}

export interface InvocationOutcome {
  requestId: string
  cold: boolean
  durationMs: number
  timedOut: boolean
  response?: unknown
  error?: { errorType: string; errorMessage: string; stackTrace?: string[] | string }
  logs: string[]
  timings: MiddlewareTiming[]
  streamed?: boolean
}

export interface StreamHooks {
  onChunk?(chunk: Uint8Array): void
  onPrelude?(prelude: { statusCode?: number; headers?: Record<string, string>; cookies?: string[] }): void
}

export interface RunningFunction {
  invoke(event: unknown, hooks?: StreamHooks): Promise<InvocationOutcome>
  restart(): Promise<void>
  close(): Promise<void>
}

export interface StartOptions {
  handler: string
  cwd?: string
  env?: Record<string, string>
  timeoutSeconds?: number
  memoryMb?: number
  concurrency?: number
  functionName?: string
}

export type StartFunction = (options: StartOptions) => Promise<RunningFunction>
