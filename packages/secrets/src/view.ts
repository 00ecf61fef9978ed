import { inspect } from 'node:util'
import { type CachedSecret, FetchFailure, type SecretCache } from './cache.js'
import { notDecoded, type SecretBinding } from './decode.js'
import { SecretsUnavailableError } from './errors.js'

const done = () => undefined

/** Shown instead of the values when `context.secrets` is logged or serialised by mistake. */
function masked(bindings: readonly SecretBinding[]): Record<string, string> {
  const shown: Record<string, string> = {}
  for (const binding of bindings) shown[binding.name] = '****'
  return shown
}

/**
 * `context.secrets` for one invocation: one own property per secret, `refresh(name)` on the
 * prototype. A new one per invocation, so a refresh in one never changes another's values
 * mid-flight.
 */
export class SecretsView {
  readonly #store: SecretStore

  constructor(store: SecretStore) {
    this.#store = store
  }

  refresh(name: string): Promise<void> {
    return this.#store.refresh(this, name)
  }

  toJSON(): Record<string, string> {
    return masked(this.#store.bindings)
  }

  [inspect.custom](): Record<string, string> {
    return masked(this.#store.bindings)
  }
}

const unavailable = (binding: SecretBinding) => (error: unknown) => {
  throw error instanceof FetchFailure
    ? new SecretsUnavailableError(binding.name, binding.target.id, error.cause)
    : error
}

/** Connects the shared cache to each invocation's view. One per middleware instance. */
export class SecretStore {
  readonly #byName: Map<string, SecretBinding>

  constructor(
    readonly bindings: readonly SecretBinding[],
    private readonly cache: SecretCache,
  ) {
    this.#byName = new Map(bindings.map((binding) => [binding.name, binding]))
  }

  /**
   * Puts a view on the context and fills it. Returns undefined (nothing to await) when every
   * value is cached and decoded: the warm path never leaves the current microtask.
   */
  attach(context: { secrets?: unknown }): Promise<undefined> | undefined {
    const view = new SecretsView(this) as SecretsView & Record<string, unknown>
    context.secrets = view
    let waiting: Promise<unknown>[] | undefined
    for (const binding of this.bindings) {
      const fetched = this.cache.peek(binding.target)
      let value = fetched === undefined ? notDecoded : binding.cached(fetched)
      if (value === notDecoded) {
        value = fetched === undefined ? this.#load(binding) : binding.decode(fetched)
      }
      if (value instanceof Promise) {
        const name = binding.name
        waiting ??= []
        waiting.push(
          value.then((resolved) => {
            view[name] = resolved
          }),
        )
      } else view[binding.name] = value
    }
    return waiting && Promise.all(waiting).then(done)
  }

  async refresh(view: SecretsView, name: string): Promise<void> {
    const binding = this.#byName.get(name)
    if (binding === undefined) {
      throw new TypeError(
        `context.secrets.refresh("${name}"): no such secret; the names given to secrets() are ${[...this.#byName.keys()].join(', ')}.`,
      )
    }
    const fetched = await this.cache.refresh(binding.target).catch(unavailable(binding))
    ;(view as unknown as Record<string, unknown>)[name] = await this.#decoded(binding, fetched)
  }

  #decoded(binding: SecretBinding, fetched: CachedSecret): unknown {
    const value = binding.cached(fetched)
    return value === notDecoded ? binding.decode(fetched) : value
  }

  #load(binding: SecretBinding): Promise<unknown> {
    return this.cache.load(binding.target).then((fetched) => this.#decoded(binding, fetched), unavailable(binding))
  }

  /** Starts every fetch now (at init); a failure is left for the first invocation to report. */
  prefetch(): void {
    for (const binding of this.bindings) this.cache.load(binding.target).catch(done)
  }
}
