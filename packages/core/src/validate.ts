import type { AnyMiddleware } from './types.js'

/** The hooks a middleware may have, in the order the engine keeps them. */
export const phases = ['before', 'after', 'onError', 'cleanup'] as const

/**
 * Checks a middleware when it is added, so a mistake fails at init, not on the first event: it
 * needs at least one hook, and every hook it has must be a function. A primitive has none; a
 * factory passed uncalled is a function with none, the mistake the message spells out.
 */
export function validate(middleware: unknown, position: number): asserts middleware is AnyMiddleware {
  const item = middleware as Partial<Record<string, unknown>> | undefined
  // Set hooks are truthy when they are all functions; a set one that is not (null, 0, '') fails the
  // second test.
  if (
    !phases.some((phase) => item?.[phase]) ||
    // Stryker disable next-line OptionalChaining: the second test runs only on a value with a hook, never on null or undefined
    phases.some((phase) => item?.[phase] !== undefined && typeof item?.[phase] !== 'function')
  ) {
    throw new TypeError(
      `middleware ${item?.name || `#${position + 1}`} needs before/after/onError/cleanup functions: .use(logging()), not .use(logging).`,
    )
  }
}
