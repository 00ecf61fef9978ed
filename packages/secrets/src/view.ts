import { inspect } from 'node:util'
import { type CachedSecret, type Entry, FetchFailure, type SecretCache } from './cache.js'
import { notDecoded, type SecretBinding } from './decode.js'
import { fetchError } from './errors.js'

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
  throw error instanceof FetchFailure ? fetchError(binding.name, binding.target, error.cause) : error
}

/** Connects the shared cache to each invocation's view. One per middleware instance. */
export class SecretStore {
  readonly #byName: Map<string, SecretBinding>
  // Each binding's cache entry, looked up once here rather than on every invocation.
  readonly #entries: Entry[]

  constructor(
    readonly bindings: readonly SecretBinding[],
    private readonly cache: SecretCache,
  ) {
    this.#byName = new Map(bindings.map((binding) => [binding.name, binding]))
    this.#entries = bindings.map((binding) => cache.entry(binding.target, binding.redact))
  }

  /**
   * Puts a view on the context and fills it. Returns undefined (nothing to await) when every
   * value is cached and decoded: the warm path never leaves the current microtask.
   */
  attach(context: { secrets?: unknown }): Promise<undefined> | undefined {
    const view = new SecretsView(this) as SecretsView & Record<string, unknown>
    context.secrets = view
    let waiting: Promise<unknown>[] | undefined
    const bindings = this.bindings
    for (let index = 0; index < bindings.length; index++) {
      const binding = bindings[index] as SecretBinding
      const fetched = this.cache.peek(this.#entries[index] as Entry)
      let value = fetched === undefined ? notDecoded : binding.cached(fetched)
      if (value === notDecoded) {
        value = fetched === undefined ? this.#load(binding, this.#entries[index] as Entry) : binding.decode(fetched)
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
    const entry = this.#entries[this.bindings.indexOf(binding)] as Entry
    const fetched = await this.cache.refresh(entry).catch(unavailable(binding))
    ;(view as unknown as Record<string, unknown>)[name] = await this.#decoded(binding, fetched)
  }

  #decoded(binding: SecretBinding, fetched: CachedSecret): unknown {
    const value = binding.cached(fetched)
    return value === notDecoded ? binding.decode(fetched) : value
  }

  #load(binding: SecretBinding, entry: Entry): Promise<unknown> {
    return this.cache.load(entry).then((fetched) => this.#decoded(binding, fetched), unavailable(binding))
  }

  /** Starts every fetch now (at init); a failure is left for the first invocation to report. */
  prefetch(): void {
    for (const entry of this.#entries) this.cache.load(entry).catch(done)
  }
}
