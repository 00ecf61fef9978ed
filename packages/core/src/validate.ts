import type { AnyMiddleware } from './types.js'

/** The hooks a middleware may have, in the order the engine keeps them. */
export const phases = ['before', 'after', 'onError', 'cleanup'] as const

/** Checks a middleware when it is added, so a mistake fails at init, not on the first event. */
export function validate(middleware: unknown, position: number): asserts middleware is AnyMiddleware {
  const refuse = (problem: string): never => {
    const name = (middleware as { name?: unknown } | null)?.name
    throw new TypeError(
      `middleware ${typeof name === 'string' && name ? `"${name}"` : `#${position + 1}`} ${problem}; .use() takes an object with before, after, onError or cleanup functions.`,
    )
  }
  // Primitives and null are not objects; functions are (a middleware may be one).
  if (Object(middleware) !== middleware) refuse(`is ${middleware === null ? 'null' : typeof middleware}`)
  let hasHook = false
  for (const hook of phases) {
    const value = (middleware as Record<string, unknown>)[hook]
    if (value === undefined) continue
    if (typeof value !== 'function') refuse(`has a "${hook}" that is ${typeof value}`)
    hasHook = true
  }
  // A factory passed uncalled is a function with no hooks: the one mistake worth naming.
  if (!hasHook) refuse('has no hooks: call the factory, .use(logging()) not .use(logging)')
}
