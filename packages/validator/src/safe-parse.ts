// Keys that reach an object's prototype when a parsed value is later merged with
// Object.assign, a deep-merge helper, or a bracket assignment. Input never needs them.
const dangerousKeys = new Set(['__proto__', 'constructor', 'prototype'])

const dropDangerousKeys = (key: string, value: unknown) => (dangerousKeys.has(key) ? undefined : value)

// A key can only spell one of the dangerous names literally or through a \u escape; text with
// neither takes the fast path without a reviver.
const mayHideDangerousKey = /"(?:__proto__|constructor|prototype)"|\\u/

/** `JSON.parse`, without `__proto__`, `constructor` or `prototype` keys at any depth. */
export function parseJsonSafely(text: string): unknown {
  return mayHideDangerousKey.test(text) ? JSON.parse(text, dropDangerousKeys) : JSON.parse(text)
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
    if (dangerousKeys.has(key)) continue
    record[key] = Object.hasOwn(record, key) ? repeat(record[key], value) : value
  }
  return record
}
