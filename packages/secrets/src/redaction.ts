import { registerSecret } from '@lamina/core'
import type { FetchedSecret, RedactOption } from './types.js'

/**
 * Keys whose values are secret in any JSON secret, whatever `redact` says. A key matches when,
 * ignoring case and every character that is not a letter or digit, it ends with one of these
 * (or its plural): `dbPassword`, `DB_PASSWORD`, `refresh_token` and `x-api-key` match;
 * `token_type`, `passwordLastChanged` and `secretArn` do not, since they name something about
 * a secret rather than the secret.
 */
export const defaultSensitiveKeys: readonly string[] = Object.freeze([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'apiKey',
  'api_key',
  'privateKey',
  'private_key',
  'clientSecret',
  'client_secret',
  'accessKey',
  'secretKey',
  'secretAccessKey',
  'sessionToken',
  'credential',
  'credentials',
  'connectionString',
  'dsn',
  'authorization',
])

const compact = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '')
const sensitiveEndings = [...new Set(defaultSensitiveKeys.map(compact))]

/** True when values under `key` are secret by default (see `defaultSensitiveKeys`). */
export function isSensitiveKey(key: string): boolean {
  const name = compact(key)
  const singular = name.endsWith('s') ? name.slice(0, -1) : name
  return sensitiveEndings.some((ending) => name.endsWith(ending) || singular.endsWith(ending))
}

/** What to register for one cache entry: the union of the `redact` options of the secrets that share it. */
export interface RedactionPolicy {
  all: boolean
  /** Dotted paths, split; `*` matches every key or index. */
  paths: string[][]
  /** Some definition left `redact` out: warn when nothing in the secret is registered. */
  unreviewed: boolean
}

export const emptyPolicy = (): RedactionPolicy => ({ all: false, paths: [], unreviewed: false })

/** Adds one definition's `redact` option (already validated) to an entry's policy. */
export function addToPolicy(policy: RedactionPolicy, redact: RedactOption | undefined): void {
  if (redact === undefined) policy.unreviewed = true
  else if (redact === 'all') policy.all = true
  else {
    for (const path of redact) {
      if (!policy.paths.some((known) => known.join('.') === path)) policy.paths.push(path.split('.'))
    }
  }
}

/** Deeper than any real secret; stops a hostile document from exhausting the stack. */
const maxDepth = 64

/** What registering a fetched secret found; used for the warnings, never holds a value. */
export interface RegistrationReport {
  /** The text was a JSON object or array (so paths and keys applied). */
  json: boolean
  /** Paths of the policy that matched nothing in the secret (typos, usually). */
  unmatchedPaths: string[]
  /** How many values were registered from inside the JSON. */
  registered: number
}

/** A value as it appears inside a JSON string (quotes, backslashes, control characters escaped). */
const jsonEscaped = (value: string) => JSON.stringify(value).slice(1, -1)

class Registrar {
  registered = 0

  text(value: string): void {
    registerSecret(value)
    const escaped = jsonEscaped(value)
    if (escaped !== value) registerSecret(escaped)
  }

  /** Every string and number at or under `value`. */
  everything(value: unknown, depth: number): void {
    if (typeof value === 'string') {
      this.text(value)
      this.registered++
    } else if (typeof value === 'number' || typeof value === 'bigint') {
      registerSecret(String(value))
      this.registered++
    } else if (depth < maxDepth && typeof value === 'object' && value !== null) {
      for (const child of Object.values(value)) this.everything(child, depth + 1)
    }
  }

  /** Everything under a key that `isSensitiveKey` accepts, however deep. */
  sensitive(value: unknown, depth: number): void {
    if (depth >= maxDepth || typeof value !== 'object' || value === null) return
    for (const [key, child] of Object.entries(value)) {
      if (!Array.isArray(value) && isSensitiveKey(key)) this.everything(child, depth + 1)
      else this.sensitive(child, depth + 1)
    }
  }

  /** Everything at a path; false when the path leads nowhere. */
  path(value: unknown, segments: readonly string[], index: number): boolean {
    if (index === segments.length) {
      this.everything(value, index)
      return true
    }
    if (typeof value !== 'object' || value === null) return false
    const segment = segments[index] as string
    if (segment === '*') {
      let found = false
      for (const child of Object.values(value)) found = this.path(child, segments, index + 1) || found
      return found
    }
    return Object.hasOwn(value, segment) && this.path((value as Record<string, unknown>)[segment], segments, index + 1)
  }
}

/** The text as a JSON object or array, or undefined when it is anything else. */
function parseStructured(text: string): object | undefined {
  const start = text.trimStart()[0]
  if (start !== '{' && start !== '[') return undefined
  try {
    // Text that starts with { or [ and parses is an object or an array.
    return JSON.parse(text) as object
  } catch {
    return undefined
  }
}

function registerText(text: string, policy: RedactionPolicy, registrar: Registrar, report: RegistrationReport): void {
  const document = parseStructured(text)
  if (document === undefined) {
    // Plain text (or text that only looks like JSON): the whole value is the secret.
    registrar.text(text)
    return
  }
  // A JSON secret: its secret parts are registered, not its whole text. The whole text would
  // match a logged object verbatim and turn it into `****` inside a JSON line, which breaks the
  // line; the secret values in it are masked wherever they appear anyway.
  report.json = true
  if (policy.all) registrar.everything(document, 0)
  else registrar.sensitive(document, 0)
  for (const segments of policy.paths) {
    if (!registrar.path(document, segments, 0)) report.unmatchedPaths.push(segments.join('.'))
  }
}

/**
 * Registers what is secret in a fetched secret with core's registry, which the logger masks in
 * every line: a plain SecretString whole; in a JSON secret, the values under sensitive keys,
 * under the listed paths, or all of them (`redact: 'all'`), each raw and JSON-escaped; for a
 * binary secret its base64 form, and its UTF-8 text under the same rules when it is text.
 */
export function registerFetched(secret: FetchedSecret, policy: RedactionPolicy = emptyPolicy()): RegistrationReport {
  const registrar = new Registrar()
  const report: RegistrationReport = { json: false, unmatchedPaths: [], registered: 0 }
  if (secret.text !== undefined) registerText(secret.text, policy, registrar, report)
  if (secret.binary !== undefined) {
    const bytes = Buffer.from(secret.binary.buffer, secret.binary.byteOffset, secret.binary.byteLength)
    registerSecret(bytes.toString('base64'))
    const text = bytes.toString('utf8')
    if (!text.includes('\uFFFD')) registerText(text, policy, registrar, report)
  }
  report.registered = registrar.registered
  return report
}
