import { addToPolicy, emptyPolicy, type RedactionPolicy, registerFetched } from './redaction.js'
import type { FetchedSecret, RedactOption, SecretSource, SecretTarget, WarningSink } from './types.js'

export interface CachePolicy {
  ttlMs: number
  staleWhileRevalidateMs: number
  staleIfErrorMs: number
}

/** A fetched secret and when it arrived. A new object per fetch: decoders memoise on it. */
export interface CachedSecret {
  readonly secret: FetchedSecret
  readonly fetchedAt: number
}

/** One cached secret: callers get it once (`entry(target)`) and hand it back on every read. */
export interface Entry {
  readonly target: SecretTarget
  current: CachedSecret | undefined
  /** The one fetch in flight for this key: every caller joins it. */
  pending: Promise<CachedSecret> | undefined
  /** The last fetch failed: serve the stale value (within staleIfErrorMs) while retrying in the background. */
  failing: boolean
  /** What of each fetched value is registered for masking: the union of the definitions sharing this entry. */
  readonly redaction: RedactionPolicy
  /** Redaction warnings already given for this entry (each once per middleware instance). */
  readonly warned: Set<string>
}

/** Raised when a fetch fails and nothing may be served instead; the middleware names the secret. */
export class FetchFailure extends Error {
  override readonly name = 'FetchFailure'
}

const keyOf = (target: SecretTarget) => `${target.id}\u0000${target.versionStage ?? ''}\u0000${target.versionId ?? ''}`

/**
 * The shared part of the secrets middleware: one per middleware instance, used by every
 * invocation. Holds fetched values by (id, versionStage, versionId) and the fetch in flight
 * for each, so concurrent misses make one request. Nothing per invocation lives here.
 */
export class SecretCache {
  readonly #entries = new Map<string, Entry>()

  constructor(
    private readonly source: SecretSource,
    private readonly policy: CachePolicy,
    private readonly logger: WarningSink,
  ) {}

  /**
   * The entry for a target; targets with the same (id, versionStage, versionId) share one, and
   * what is masked of it is the union of their `redact` options (`undefined`: the defaults).
   */
  entry(target: SecretTarget, redact?: RedactOption): Entry {
    const key = keyOf(target)
    let entry = this.#entries.get(key)
    if (entry === undefined) {
      entry = {
        target,
        current: undefined,
        pending: undefined,
        failing: false,
        redaction: emptyPolicy(),
        warned: new Set(),
      }
      this.#entries.set(key, entry)
    }
    addToPolicy(entry.redaction, redact)
    return entry
  }

  /**
   * The value to serve now without waiting, or undefined when the caller must `load`.
   * Fresh values are served as they are; within the stale-while-revalidate window (and the
   * stale-if-error window after a failed fetch) the old value is served and one background
   * fetch started.
   */
  peek(entry: Entry): CachedSecret | undefined {
    const current = entry.current
    if (current === undefined) return undefined
    const age = Date.now() - current.fetchedAt
    const { ttlMs, staleWhileRevalidateMs, staleIfErrorMs } = this.policy
    if (age < ttlMs) return current
    const servable = age < ttlMs + staleWhileRevalidateMs || (entry.failing && age < ttlMs + staleIfErrorMs)
    if (!servable) return undefined
    if (entry.pending === undefined) this.#fetch(entry).catch(() => {})
    return current
  }

  /** Waits for a value: joins the fetch in flight or starts one; stale-if-error on failure. */
  load(entry: Entry): Promise<CachedSecret> {
    return this.#serve(entry, entry.pending ?? this.#fetch(entry))
  }

  /**
   * Fetches again whatever the age (rotation); joins a fetch already in flight. Unlike `load`,
   * a failure is not hidden behind the stale value: the caller asked for a new one.
   */
  async refresh(entry: Entry): Promise<CachedSecret> {
    try {
      return await (entry.pending ?? this.#fetch(entry))
    } catch (error) {
      throw new FetchFailure(`refreshing ${entry.target.id} failed`, { cause: error })
    }
  }

  async #serve(entry: Entry, fetching: Promise<CachedSecret>): Promise<CachedSecret> {
    try {
      return await fetching
    } catch (error) {
      const stale = entry.current
      if (stale !== undefined && Date.now() - stale.fetchedAt < this.policy.ttlMs + this.policy.staleIfErrorMs) {
        return stale
      }
      throw new FetchFailure(`fetching ${entry.target.id} failed`, { cause: error })
    }
  }

  /** Registers the secret parts for masking before anyone can see the value; warns about gaps, once. */
  #register(entry: Entry, secret: FetchedSecret): void {
    const report = registerFetched(secret, entry.redaction)
    const warnOnce = (key: string, message: string, details: Record<string, unknown>) => {
      if (entry.warned.has(key)) return
      entry.warned.add(key)
      this.logger.warn(message, { secretId: entry.target.id, ...details })
    }
    for (const path of report.unmatchedPaths) {
      warnOnce(
        `path:${path}`,
        'A redact path matches nothing in this secret, so nothing is masked there; check its spelling.',
        {
          path,
        },
      )
    }
    if (report.json && report.registered === 0 && entry.redaction.unreviewed) {
      warnOnce(
        'nothing',
        "Nothing in this JSON secret is masked in logs: none of its keys is a sensitive one. List what is secret with redact: ['path'] (or 'all'), or redact: [] if nothing is.",
        {},
      )
    }
  }

  #fetch(entry: Entry): Promise<CachedSecret> {
    const fetching = this.source.fetch(entry.target).then(
      (secret) => {
        this.#register(entry, secret)
        const cached = { secret, fetchedAt: Date.now() }
        entry.current = cached
        entry.pending = undefined
        entry.failing = false
        return cached
      },
      (error: unknown) => {
        entry.pending = undefined
        entry.failing = true
        const stale = entry.current
        if (stale !== undefined && Date.now() - stale.fetchedAt < this.policy.ttlMs + this.policy.staleIfErrorMs) {
          this.logger.warn('Fetching a secret failed; serving the cached value while it is within staleIfErrorMs.', {
            secretId: entry.target.id,
            ageMs: Date.now() - stale.fetchedAt,
            error: error instanceof Error ? error.name : String(error),
          })
        }
        throw error
      },
    )
    entry.pending = fetching
    return fetching
  }
}
