// EventBridge event patterns, the subset `lamina dev` matches: exact values (strings, numbers,
// booleans, null) listed in arrays, nested fields (detail.*), and the `prefix`, `suffix`,
// `anything-but` (a value, a list, or a prefix), `exists` and `numeric` operators. A pattern
// using anything else is refused when the dev server starts (`unsupportedInPattern`), never
// silently matched wrong.

type Node = Record<string, unknown>

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value)
const isScalar = (value: unknown) =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'

const operators = ['prefix', 'suffix', 'anything-but', 'exists', 'numeric']
const comparisons = ['=', '>', '>=', '<', '<=']

export const supportedOperators = `exact values, nested fields, ${operators.join(', ')}`

/** Why `pattern` cannot be matched locally (the path of the first problem), or undefined. */
export function unsupportedInPattern(pattern: unknown, path = ''): string | undefined {
  if (!isNode(pattern)) return `${path || 'the pattern'} is not an object of fields`
  for (const [key, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key
    if (key.startsWith('$')) return `${at}: the ${key} operator`
    const problem = Array.isArray(value) ? unsupportedMatchers(value, at) : unsupportedInPattern(value, at)
    if (problem) return problem
  }
  return undefined
}

function unsupportedMatchers(matchers: unknown[], at: string): string | undefined {
  if (matchers.length === 0) return `${at}: an empty list (it would match nothing)`
  for (const matcher of matchers) {
    if (isScalar(matcher)) continue
    if (!isNode(matcher) || Object.keys(matcher).length !== 1) return `${at}: ${JSON.stringify(matcher)}`
    const [operator, operand] = Object.entries(matcher)[0] as [string, unknown]
    if (!operators.includes(operator)) return `${at}: the "${operator}" operator`
    const wrong = `${at}: ${JSON.stringify(matcher)} is not a valid ${operator} operand`
    if ((operator === 'prefix' || operator === 'suffix') && typeof operand !== 'string') return wrong
    if (operator === 'exists' && typeof operand !== 'boolean') return wrong
    if (operator === 'numeric' && !validNumeric(operand)) return wrong
    if (operator === 'anything-but' && !validAnythingBut(operand)) return wrong
  }
  return undefined
}

const validNumeric = (operand: unknown) =>
  Array.isArray(operand) &&
  operand.length > 0 &&
  operand.length % 2 === 0 &&
  operand.every((item, index) =>
    index % 2 === 0 ? comparisons.includes(item as string) : typeof item === 'number' && Number.isFinite(item),
  )

const validAnythingBut = (operand: unknown) =>
  isScalar(operand) ||
  (Array.isArray(operand) && operand.length > 0 && operand.every(isScalar)) ||
  (isNode(operand) && Object.keys(operand).length === 1 && typeof operand.prefix === 'string')

function compare(value: number, operator: string, bound: number) {
  if (operator === '=') return value === bound
  if (operator === '>') return value > bound
  if (operator === '>=') return value >= bound
  if (operator === '<') return value < bound
  return value <= bound
}

/** One matcher against one value that is present (an element, when the event's field is an array). */
function matchesValue(matcher: unknown, value: unknown): boolean {
  if (!isNode(matcher)) return matcher === value
  const [operator, operand] = Object.entries(matcher)[0] as [string, unknown]
  if (operator === 'prefix') return typeof value === 'string' && value.startsWith(operand as string)
  if (operator === 'suffix') return typeof value === 'string' && value.endsWith(operand as string)
  if (operator === 'numeric') {
    const bounds = operand as (string | number)[]
    if (typeof value !== 'number') return false
    for (let index = 0; index < bounds.length; index += 2) {
      if (!compare(value, bounds[index] as string, bounds[index + 1] as number)) return false
    }
    return true
  }
  // anything-but (exists is handled by the caller: it concerns presence, not a value)
  if (isNode(operand)) return typeof value === 'string' && !value.startsWith(operand.prefix as string)
  const excluded = Array.isArray(operand) ? operand : [operand]
  return !excluded.includes(value)
}

function matchesField(matchers: unknown[], present: boolean, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value]
  return matchers.some((matcher) => {
    if (isNode(matcher) && 'exists' in matcher) return matcher.exists === present && (!present || !isNode(value))
    return present && values.some((element) => matchesValue(matcher, element))
  })
}

/** Whether `event` (an EventBridge event: source, detail-type, detail…) matches `pattern`. */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (!isNode(pattern)) return false
  const fields = isNode(event) ? event : {}
  return Object.entries(pattern).every(([key, expected]) => {
    const present = Object.hasOwn(fields, key)
    if (Array.isArray(expected)) return matchesField(expected, present, fields[key])
    return matchesPattern(expected, present ? fields[key] : undefined)
  })
}
