import { redactSecrets } from '@lamina/core'
import type { ValidationIssue } from '@lamina/validator'

/** Where failed records are written: Powertools' Logger, `console`, or anything with these two methods. */
export interface BatchLogger {
  warn(message: string, ...extra: unknown[]): void
  error(message: string, ...extra: unknown[]): void
}

const isLogger = (value: unknown): value is BatchLogger =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as BatchLogger).warn === 'function' &&
  typeof (value as BatchLogger).error === 'function'

// Without a logger the lines are JSON, like Powertools' own, so CloudWatch can query them.
const consoleLogger: BatchLogger = {
  warn: (message, fields) => console.warn(JSON.stringify({ level: 'WARN', message, ...(fields as object) })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'ERROR', message, ...(fields as object) })),
}

/** The option, else the logger `logging()` put on the context (its lines carry the invocation's keys), else console. */
export function loggerFor(option: BatchLogger | undefined, context: unknown): BatchLogger {
  if (option) return option
  const fromContext = (context as { logger?: unknown } | undefined)?.logger
  return isLogger(fromContext) ? fromContext : consoleLogger
}

const maxTextLength = 1024
const clip = (text: string) => (text.length > maxTextLength ? `${text.slice(0, maxTextLength - 1)}…` : text)
const safeText = (text: string) => clip(redactSecrets(text))

function read(value: unknown, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key]
  } catch {
    return undefined
  }
}

/** name, message and stack of anything thrown, each read once and guarded, secrets masked. */
export function describeThrown(value: unknown): { name: string; message: string; stack?: string } {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    // String() of a primitive cannot throw; a symbol needs toString() (template literals refuse it).
    return { name: typeof value, message: safeText(typeof value === 'symbol' ? value.toString() : String(value)) }
  }
  const name = read(value, 'name')
  const message = read(value, 'message')
  const stack = read(value, 'stack')
  return {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? safeText(message) : '[no message]',
    ...(typeof stack === 'string' ? { stack: safeText(stack) } : {}),
  }
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let current = root
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string | number, unknown>)[key]
  }
  return current
}

/**
 * Issues as the schema library wrote them, minus the record's own values: some libraries quote
 * the value they rejected (`Invalid email: Received "jane@…"`), and a record's values stay out of
 * logs. Registered secrets are masked too.
 */
export function safeIssues(issues: ValidationIssue[], payload: unknown): ValidationIssue[] {
  return issues.map(({ path, message }) => {
    const value = valueAt(payload, path)
    const quoted = typeof value === 'string' && value !== '' ? JSON.stringify(value) : undefined
    const scrubbed = quoted === undefined ? message : message.split(quoted).join('"[value]"')
    return { path, message: safeText(scrubbed) }
  })
}
