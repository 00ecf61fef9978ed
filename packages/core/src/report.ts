import { inspect } from 'node:util'
import { redactSecrets } from './secret-registry.js'
import type { LifecycleHooks, Request } from './types.js'

/**
 * Reports a failure that must not change the invocation's outcome: a cleanup that threw, or an
 * `onError` or `cleanup` still pending at the deadline. Goes to `hooks.cleanupError` when given
 * (shielded at `wrap()`), else to `console.error`.
 */
export function report(
  hooks: LifecycleHooks | undefined,
  error: unknown,
  name: string,
  phase: string,
  request: Request,
): void {
  if (hooks?.cleanupError) hooks.cleanupError(error, name, request)
  else print(error, `${phase} of middleware "${name}"`)
}

/** The default report: one line, every registered secret masked (message, stack and causes). */
export function print(error: unknown, what: string): void {
  let text: string
  try {
    text = inspect(error)
  } catch {
    // A revoked Proxy, say: nothing about it can be read.
    text = 'a value that cannot be inspected'
  }
  console.error(redactSecrets(`[lamina] ${what} failed; the invocation's outcome stands: ${text}`))
}
