// Process-wide on purpose: a secret fetched by one invocation must be masked in every
// invocation's logs. Values, not per-invocation state, live here. Kept on globalThis under a
// `Symbol.for` key, so every copy of core in the process (ESM and CommonJS, two versions in one
// bundle) shares one registry: a secret one copy registers, every other copy masks. The shape,
// a Set of strings, is the contract between those copies.
const registryKey = Symbol.for('lamina.secrets')
const shared = globalThis as { [registryKey]?: Set<string> }
shared[registryKey] ??= new Set<string>()
const registered = shared[registryKey]

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
  // Stryker disable next-line ConditionalExpression: a fast path (no secrets: the text as it is), the loop would return the same
  if (registered.size === 0) return text
  let result = text
  // A function, so `$&` and the like in the mask are not replacement patterns.
  for (const secret of registered) result = result.replaceAll(secret, () => mask)
  return result
}

/** True when `text` holds any registered secret. */
export function containsSecret(text: string): boolean {
  for (const secret of registered) if (text.includes(secret)) return true
  return false
}
