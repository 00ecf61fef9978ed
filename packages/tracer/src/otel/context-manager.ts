import { AsyncLocalStorage } from 'node:async_hooks'
import type { Context, ContextManager } from '@opentelemetry/api'

/** What each asynchronous flow holds: a box, so a context can be given to a flow entered earlier. */
export interface ContextBox {
  context: Context | undefined
}

/**
 * OpenTelemetry's active context, kept per asynchronous flow in an AsyncLocalStorage, so that
 * invocations running at the same time in one process (Lambda Managed Instances) each see their
 * own. Besides what OpenTelemetry asks of a context manager, `enter()` makes a context active for
 * the rest of the current flow: a middleware's `before` cannot wrap the handler in a callback, so
 * it enters the invocation's context and the handler (called after it, in the same flow) runs
 * inside it. The flow holds a box: on the first invocation, `before` enters an empty box at once
 * (so the engine's continuation, registered after `before` returns, carries it) and fills it once
 * OpenTelemetry has loaded.
 */
export class InvocationContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<ContextBox>()
  #root: Context | undefined

  /** The empty context, once OpenTelemetry's API is loaded. */
  setRoot(root: Context): void {
    this.#root = root
  }

  active(): Context {
    return this.#storage.getStore()?.context ?? (this.#root as Context)
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run({ context }, () => fn.apply(thisArg, args))
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target
    const manager = this
    return function (this: unknown, ...args: unknown[]) {
      return manager.with(context, () => (target as (...a: unknown[]) => unknown).apply(this, args))
    } as T
  }

  /** Makes `box` the current flow's for the rest of it; returns the box it replaces. */
  enter(box: ContextBox): ContextBox | undefined {
    const previous = this.#storage.getStore()
    this.#storage.enterWith(box)
    return previous
  }

  enable(): this {
    return this
  }

  disable(): this {
    return this
  }
}

/** The process's one: every OpenTelemetry-mode middleware and the outgoing calls read the same flows. */
export const invocationContexts = new InvocationContextManager()
