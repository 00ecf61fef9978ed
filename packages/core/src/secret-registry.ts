// Process-wide on purpose: a secret fetched by one invocation must be masked in every
// invocation's logs. Values, not per-invocation state, live here. Kept on globalThis under a
// `Symbol.for` key, so every copy of core in the process (ESM and CommonJS, two versions in one
// bundle) shares one registry: a secret one copy registers, every other copy masks. The shape,
// a Set of strings, is the contract between those copies.
const registryKey = Symbol.for('lamina.secrets')
type Shared = { [registryKey]?: Set<string> }
;(globalThis as Shared)[registryKey] ??= new Set<string>()
const registered = (globalThis as Shared)[registryKey] as Set<string>

/** Shorter values would mask ordinary words in every log line. */
export const minimumSecretLength = 4

/**
 * Marks a value as secret: `redactSecrets` masks it wherever it appears. The secrets package
 * registers every value it fetches; the logger redacts every line. Values under
 * `minimumSecretLength` characters are ignored.
 */
export function registerSecret(value: string): void {
  if (typeof value === 'string' && value.length >= minimumSecretLength) registered.add(value)
}

/** Stops masking a value (after rotation, say). */
export function forgetSecret(value: string): void {
  registered.delete(value)
}

/** Replaces every registered secret in `text` with `mask`. */
export function redactSecrets(text: string, mask = '****'): string {
  // A function, so `$&` and the like in the mask are not replacement patterns. The size check is a
  // fast path (no secrets: no iterator).
  // Stryker disable next-line ConditionalExpression: without the fast path the loop returns the same text
  if (registered.size) for (const secret of registered) text = text.replaceAll(secret, () => mask)
  return text
}

/** True when `text` holds any registered secret. */
export function containsSecret(text: string): boolean {
  for (const secret of registered) if (text.includes(secret)) return true
  return false
}
