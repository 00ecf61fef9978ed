export type { BuildOptions, BuiltFunction } from './build/build.js'
export { buildFunctions } from './build/build.js'
export { buildCommand } from './commands/build.js'
export { invokeCommand } from './commands/invoke.js'
export { startLocalFunction } from './runtime/local-function.js'
export type { RuntimeLoop, RuntimeLoopOptions } from './runtime/loop.js'
export { startRuntimeLoop } from './runtime/loop.js'
export type {
  HandedOut,
  InvocationReport,
  QueuedInvocation,
  QueueOptions,
  RuntimeApi,
  RuntimeApiOptions,
  RuntimeOutcome,
} from './runtime/runtime-api.js'
export { startRuntimeApi } from './runtime/runtime-api.js'
export type {
  InvocationError,
  InvocationResult,
  InvokeOptions,
  LocalFunction,
  LocalFunctionOptions,
  MiddlewareTiming,
  StreamPrelude,
  TimingPhase,
} from './runtime/types.js'
