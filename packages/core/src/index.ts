export { armTimeout } from './arm-timeout.js'
export type { Context } from './context.js'
export type { EventSource, HttpEventSource } from './event-source.js'
export { eventSource, isHttpEventSource } from './event-source.js'
export { lifecycleHooks } from './lifecycle.js'
export { type OrderPlace, orderKey, orderRank } from './order.js'
export { containsSecret, forgetSecret, minimumSecretLength, redactSecrets, registerSecret } from './secret-registry.js'
export { isTimeoutError, TimeoutError } from './timeout-error.js'
export type {
  AnyHandler,
  AnyMiddleware,
  ApplyContext,
  ApplyEvent,
  ContextAfter,
  EventAfter,
  Flow,
  FlowOf,
  HandlerBuilder,
  HandlerOptions,
  LambdaHandler,
  LifecycleHooks,
  Middleware,
  Phase,
  PreparedHooks,
  Request,
  WrapOptions,
  WrappedHandler,
} from './types.js'
export { wrap } from './wrap.js'
