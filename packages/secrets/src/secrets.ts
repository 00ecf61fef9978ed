import { type Middleware, orderKey, orderRank } from '@lamina/core'
import { type CachePolicy, SecretCache } from './cache.js'
import { SecretBinding } from './decode.js'
import { createSource } from './sources.js'
import type { SecretDefinition, SecretSpec, SecretsOptions, SecretValues, WarningSink } from './types.js'
import { SecretStore } from './view.js'

// Names that would clash with the view's own members or set its prototype.
const reservedNames = new Set(['refresh', 'toJSON', '__proto__'])

const consoleSink: WarningSink = {
  warn: (message, details) => console.warn(`[lamina/secrets] ${message}`, details ?? ''),
}

function definitionOf(name: string, spec: SecretSpec): SecretDefinition {
  const where = `secrets(): "${name}"`
  if (reservedNames.has(name))
    throw new TypeError(`${where} is a reserved name (refresh, toJSON, __proto__); rename it.`)
  const definition = typeof spec === 'string' ? { id: spec } : spec
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError(`${where} must be a secret id or { id, schema?, json?, binary?, versionStage?, versionId? }.`)
  }
  if (typeof definition.id !== 'string' || definition.id === '') {
    throw new TypeError(`${where} needs a non-empty id (the secret's name or ARN).`)
  }
  const schema = definition.schema as { '~standard'?: { validate?: unknown } } | undefined
  if (schema !== undefined && typeof schema?.['~standard']?.validate !== 'function') {
    throw new TypeError(`${where} has a schema that is not a Standard Schema (zod 4, valibot, arktype...).`)
  }
  if (definition.binary && (definition.json || schema !== undefined)) {
    throw new TypeError(`${where} asks for both binary and JSON; choose one.`)
  }
  checkRedact(where, definition.redact)
  return definition
}

/** A short, value-free description of what was passed, for error messages. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  return value === null ? 'null' : typeof value
}

function checkRedact(where: string, redact: unknown): void {
  if (redact === undefined || redact === 'all') return
  const isPath = (path: unknown) => typeof path === 'string' && path.split('.').every((segment) => segment !== '')
  if (!Array.isArray(redact) || !redact.every(isPath)) {
    const bad = Array.isArray(redact) ? redact.find((path) => !isPath(path)) : redact
    throw new TypeError(
      `${where} has redact: ${Array.isArray(redact) ? `[…, ${shown(bad)}, …]` : shown(bad)}; use 'all', or a list of dotted paths into the stored JSON like ['password', 'oauth.refresh'] (no empty segments).`,
    )
  }
}

function policyOf(options: SecretsOptions): CachePolicy {
  const duration = (key: keyof CachePolicy, fallback: number) => {
    const value = options[key] ?? fallback
    if (typeof value !== 'number' || !(value >= 0)) {
      throw new RangeError(`secrets(): ${key} must be a number of milliseconds >= 0, got ${String(value)}.`)
    }
    return value
  }
  return {
    ttlMs: duration('ttlMs', 300_000),
    staleWhileRevalidateMs: duration('staleWhileRevalidateMs', 60_000),
    staleIfErrorMs: duration('staleIfErrorMs', 900_000),
  }
}

/**
 * Puts Secrets Manager secrets on `context.secrets`, typed, fetched once per TTL however many
 * invocations ask at once. The cache, the fetches in flight and the client belong to this
 * middleware instance; each invocation gets its own `context.secrets` view.
 *
 * ```ts
 * wrap<Event>()
 *   .use(secrets({ db: { id: 'prod/db', schema: DbCredentials }, apiKey: 'prod/api-key' }))
 *   .handler(async (event, context) => connect(context.secrets.db))
 * ```
 */
export function secrets<const Specs extends Record<string, SecretSpec>>(
  specs: Specs,
  options: SecretsOptions = {},
): Middleware<{ context: { secrets: SecretValues<Specs> } }> {
  if (typeof specs !== 'object' || specs === null || Object.keys(specs).length === 0) {
    throw new TypeError("secrets() takes at least one secret, like secrets({ apiKey: 'prod/api-key' }).")
  }
  const bindings = Object.entries(specs).map(([name, spec]) => new SecretBinding(name, definitionOf(name, spec)))
  const cache = new SecretCache(createSource(options), policyOf(options), options.logger ?? consoleSink)
  const store = new SecretStore(bindings, cache)
  if (options.prefetch) store.prefetch()
  return {
    name: 'secrets',
    [orderKey]: orderRank.input,
    before: (request) => store.attach(request.context),
  }
}
