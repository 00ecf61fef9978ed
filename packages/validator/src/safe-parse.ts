// Keys that reach an object's prototype when a parsed value is later merged with
// Object.assign, a deep-merge helper, or a bracket assignment. Input never needs them.
const dangerousKeys = ['__proto__', 'constructor', 'prototype'] as const
const dangerousKeySet = new Set<string>(dangerousKeys)

// A key can only spell one of the dangerous names literally or through a \u escape; text with
// neither takes the fast path with nothing to remove.
const mayHideDangerousKey = /"(?:__proto__|constructor|prototype)"|\\u/

/**
 * Removes dangerous keys at any depth. A loop over an explicit stack rather than a JSON.parse
 * reviver: the reviver recurses and overflows the call stack on deeply nested (valid) input.
 */
function dropDangerousKeys(root: unknown): void {
  const pending = [root]
  while (pending.length > 0) {
    const value = pending.pop()
    if (typeof value !== 'object' || value === null) continue
    if (!Array.isArray(value)) {
      // JSON.parse makes `__proto__` an own data property, so delete removes it.
      for (const key of dangerousKeys) if (Object.hasOwn(value, key)) delete (value as Record<string, unknown>)[key]
    }
    for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) pending.push(child)
  }
}

/** `JSON.parse`, without `__proto__`, `constructor` or `prototype` keys at any depth. */
export function parseJsonSafely(text: string): unknown {
  const value: unknown = JSON.parse(text)
  if (mayHideDangerousKey.test(text)) dropDangerousKeys(value)
  return value
}

/**
 * Copies string entries into a plain object, skipping dangerous keys. `repeat` decides what a
 * repeated key becomes (an array for forms, a comma list for headers).
 */
export function safeRecord(
  entries: Iterable<[string, unknown]>,
  repeat: (previous: unknown, next: unknown) => unknown,
): Record<string, unknown> {
  const record: Record<string, unknown> = {}
  for (const [key, value] of entries) {
    if (dangerousKeySet.has(key)) continue
    record[key] = Object.hasOwn(record, key) ? repeat(record[key], value) : value
  }
  return record
}
