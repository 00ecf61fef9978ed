import { redactSecrets } from '@lamina/core'
import { readPath } from './correlation-id.js'

/** What a masked value is replaced with, in events and in every written line. */
export const mask = '****'

type Bag = Record<string, unknown>

/**
 * A copy of `event` with each path's value replaced by the mask. Only the containers on a
 * path are copied: the handler's own event is never modified.
 */
export function redactPaths(event: unknown, paths: readonly string[]): unknown {
  let result = event
  for (const path of paths) {
    if (readPath(result, path) === undefined) continue
    result = replaceAt(result as Bag, path.split('.'), 0)
  }
  return result
}

function replaceAt(container: Bag, segments: string[], depth: number): Bag {
  const copy = (Array.isArray(container) ? [...container] : { ...container }) as Bag
  const key = segments[depth] as string
  // Define rather than assign: a key named __proto__ must become data, not a prototype.
  const value = depth === segments.length - 1 ? mask : replaceAt(container[key] as Bag, segments, depth + 1)
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true })
  return copy
}

// The console methods Powertools' Logger prints through. Its `trace` calls `console.log`, which
// is wrapped, and critical lines go to `error`.
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const

type ConsoleLike = Record<(typeof consoleMethods)[number], (...args: unknown[]) => void>
interface LoggerInternals {
  console?: Partial<ConsoleLike>
  createChild?: (...args: unknown[]) => object
}

const redactedLoggers = new WeakSet<object>()

const redactArgument = (value: unknown) => (typeof value === 'string' ? redactSecrets(value, mask) : value)

/**
 * Masks every registered secret in everything `logger` (and any child it creates) writes.
 * Powertools prints each line as one finished JSON string through its own console; that string
 * is the only place that holds the message, every key and value, formatted errors and buffered
 * lines alike, so it is where the mask goes. The console is a private field of Powertools'
 * Logger (built for 2.x from 2.36): if a future version renames it, this throws at init rather than
 * silently logging secrets.
 */
export function redactLoggerOutput(logger: object): void {
  if (redactedLoggers.has(logger)) return
  const internals = logger as LoggerInternals
  const original = internals.console
  if (typeof original?.info !== 'function' || typeof original.error !== 'function') {
    throw new TypeError(
      "@lamina/logger cannot reach this Logger's output to mask secrets; use @aws-lambda-powertools/logger 2.x (2.36 or later), the versions @lamina/logger is built for.",
    )
  }
  const wrapped = Object.create(original) as ConsoleLike
  for (const method of consoleMethods) {
    const write = original[method] as (...args: unknown[]) => void
    wrapped[method] = (...args: unknown[]) =>
      // Powertools writes one finished line per call: no array made for it.
      args.length === 1
        ? write.call(original, redactArgument(args[0]))
        : write.apply(original, args.map(redactArgument))
  }
  internals.console = wrapped
  const createChild = internals.createChild
  if (typeof createChild === 'function') {
    internals.createChild = function (this: object, ...args: unknown[]) {
      const child = createChild.apply(this, args)
      redactLoggerOutput(child)
      return child
    }
  }
  redactedLoggers.add(logger)
}
