import type { Logger } from '@aws-lambda-powertools/logger'
import { describeThrown, loggableError, summarizeThrown } from './describe-thrown.js'

/** The message of the line written when an invocation fails. */
export const errorMessage = 'Invocation failed'
/** The message of the line written when an error was answered with a 4xx HTTP response. */
export const clientErrorMessage = 'Invocation answered a client error'

/** The level of the line for an error answered with a 4xx: a Logger method, or `off` for none. */
export type ClientErrorLevel = 'debug' | 'info' | 'warn' | 'error' | 'off'

export const clientErrorLevels: readonly ClientErrorLevel[] = ['debug', 'info', 'warn', 'error', 'off']

function statusCodeOf(value: unknown): unknown {
  try {
    return (typeof value === 'object' || typeof value === 'function') && value !== null
      ? (value as { statusCode?: unknown }).statusCode
      : undefined
  } catch {
    return undefined
  }
}

/** A 4xx status, read without trusting the object it is read from. */
export function clientStatusOf(value: unknown): number | undefined {
  const status = statusCodeOf(value)
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined
}

/**
 * The failure line, at ERROR with the stack and `cause` chain. Never throws: an error Powertools
 * cannot format (see describe-thrown.ts) is written as plain data instead.
 */
export function writeFailure(logger: Logger, error: unknown): void {
  try {
    logger.error({ message: errorMessage, error: loggableError(error) })
    return
  } catch {
    // Formatting the error itself threw (a field's toJSON, a Proxy deep inside): describe it.
  }
  try {
    logger.error({ message: errorMessage, error: describeThrown(error) })
  } catch {
    // Only Powertools' own output failing gets here; the invocation's outcome must not change.
  }
}

/** The line for an error answered with a 4xx: no stack (the fault is the caller's), at `level`. */
export function writeClientError(logger: Logger, level: ClientErrorLevel, error: unknown, status: number): void {
  if (level === 'off') return
  if (level === 'error') {
    writeFailure(logger, error)
    return
  }
  try {
    logger[level]({ message: clientErrorMessage, status, error: summarizeThrown(error) })
  } catch {
    // As in writeFailure.
  }
}
