// A handler can throw anything: a string, `undefined`, an object with no prototype, an object
// whose getters or `toString` throw, a Proxy whose every trap throws, an Error whose `cause`
// chain loops. Powertools formats an Error by reading its fields and recursing into `cause`
// unguarded, so some of these would make the error line itself throw (or overflow the stack).
// Everything here reads each value at most once per field, inside a `try`, and never recurses
// without a bound.

const maxCauseDepth = 8
const maxExtraFields = 20
// Powertools' own Error fields, and what describeThrown writes itself.
const knownFields = new Set(['name', 'message', 'stack', 'cause'])
const fullFields = ['name', 'message', 'stack'] as const
const summaryFields = ['name', 'message'] as const

type Described = Record<string, unknown>

const isObjectLike = (value: unknown): value is object =>
  (typeof value === 'object' || typeof value === 'function') && value !== null

/** Reads `value[key]`, or reports that it could not. */
function read(value: object, key: PropertyKey): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: (value as Record<PropertyKey, unknown>)[key] }
  } catch {
    return { ok: false }
  }
}

function isError(value: unknown): value is Error {
  try {
    return value instanceof Error
  } catch {
    // A Proxy whose getPrototypeOf trap throws.
    return false
  }
}

function ownEnumerableKeys(value: object): string[] | undefined {
  try {
    return Object.keys(value)
  } catch {
    return undefined
  }
}

/** A primitive as text, the way `String()` would write it (symbols included, which `${}` refuses). */
function primitiveText(value: unknown): string {
  return typeof value === 'symbol' ? value.toString() : String(value)
}

function objectTag(value: object): string {
  try {
    return Object.prototype.toString.call(value)
  } catch {
    return '[object that cannot be read]'
  }
}

// How many nested objects `reachesAnErrorAgain` looks through before it gives up (and says yes).
const maxFieldObjects = 64

/**
 * Whether an Error's fields lead back to an Error already met (`error.self = error`, or deeper).
 * Powertools' JSON replacer formats every Error it meets into a fresh object, so its check for
 * circular references never sees such a loop: the same Error is formatted again and again (seen
 * here at over 100 ms for one line). Plain objects that loop are fine (the replacer drops them),
 * and so are nested Errors that do not loop. A field too large to look through counts as a loop,
 * so its line takes the bounded path.
 */
function reachesAnErrorAgain(value: unknown, errors: Set<unknown>): boolean {
  const visited = new Set<unknown>()
  const pending: unknown[] = [value]
  while (pending.length > 0) {
    const current = pending.pop()
    if (!isObjectLike(current) || visited.has(current)) continue
    visited.add(current)
    if (isError(current)) {
      if (errors.has(current)) return true
      errors.add(current)
      // Powertools follows a nested Error's cause too.
      const cause = read(current, 'cause')
      if (!cause.ok) return true
      pending.push(cause.value)
    }
    if (visited.size > maxFieldObjects) return true
    const keys = ownEnumerableKeys(current)
    if (keys === undefined) return true
    for (const key of keys) {
      const field = read(current, key)
      if (!field.ok) return true
      pending.push(field.value)
    }
  }
  return false
}

/**
 * An Error Powertools can format as it is: every field it reads (name, message, stack, cause and
 * the enumerable ones) reads without throwing, and the `cause` chain ends within a few links.
 * Those are formatted by Powertools exactly as its own middleware would; anything else is
 * described by `describeThrown`.
 */
export function isWellFormedError(value: unknown): value is Error {
  if (!isError(value)) return false
  const seen = new Set<unknown>()
  let current: unknown = value
  for (let depth = 0; isError(current); depth++) {
    if (seen.has(current) || depth > maxCauseDepth) return false
    seen.add(current)
    for (const key of ['name', 'message', 'stack']) if (!read(current, key).ok) return false
    const keys = ownEnumerableKeys(current)
    if (keys === undefined) return false
    for (const key of keys) {
      const field = read(current, key)
      if (!field.ok || reachesAnErrorAgain(field.value, new Set(seen))) return false
    }
    const cause = read(current, 'cause')
    if (!cause.ok) return false
    current = cause.value
  }
  return true
}

/**
 * Plain JSON data for any thrown value, in the shape Powertools gives an Error (`name`,
 * `message`, `stack`, `cause`, then the error's own fields with primitive values); a primitive
 * becomes `{ value }`. Never throws; a field that cannot be read is left out, a `cause` seen
 * before is written as `"[circular]"`.
 */
export function describeThrown(value: unknown, depth = 0, seen: Set<unknown> = new Set()): Described {
  return describe(value, depth, seen, true)
}

/**
 * `describeThrown` without `stack` and `cause`, for the line of an error the caller caused (a
 * 4xx). The stack is never read: formatting it is the dearest part of describing an error (a
 * third of a 400 answer's cost in the full HTTP stack, measured), and that line leaves it out.
 */
export function summarizeThrown(value: unknown): Described {
  return describe(value, 0, new Set(), false)
}

function describe(value: unknown, depth: number, seen: Set<unknown>, full: boolean): Described {
  if (!isObjectLike(value)) return { value: primitiveText(value) }
  seen.add(value)
  const described: Described = {}
  for (const key of full ? fullFields : summaryFields) {
    const field = read(value, key)
    if (field.ok && typeof field.value === 'string') described[key] = field.value
  }
  const cause = full ? read(value, 'cause') : undefined
  if (cause?.ok && cause.value !== undefined) {
    if (seen.has(cause.value)) described.cause = '[circular]'
    else if (depth >= maxCauseDepth) described.cause = '[deeper causes left out]'
    else described.cause = describeThrown(cause.value, depth + 1, seen)
  }
  for (const key of (ownEnumerableKeys(value) ?? []).slice(0, maxExtraFields)) {
    if (knownFields.has(key)) continue
    const field = read(value, key)
    if (!field.ok) continue
    const type = typeof field.value
    if (type === 'string' || type === 'number' || type === 'boolean') described[key] = field.value
    else if (type === 'bigint') described[key] = primitiveText(field.value)
  }
  if (Object.keys(described).length === 0) described.value = objectTag(value)
  return described
}

/** The thrown value as Powertools' `error` field: the Error itself when it is safe to format, else plain data. */
export function loggableError(value: unknown): unknown {
  return isWellFormedError(value) ? value : describeThrown(value)
}
