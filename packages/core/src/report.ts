import { inspect } from 'node:util'
import { redactSecrets } from './secret-registry.js'

/**
 * The default report of a failure that must not change the invocation's outcome: one line, every
 * registered secret masked (message, stack and causes).
 */
export function print(error: unknown, what: string): void {
  let text: string
  try {
    text = inspect(error)
  } catch {
    // A revoked Proxy, say: nothing about it can be read.
    text = '(uninspectable)'
  }
  console.error(redactSecrets(`[lamina] ${what} failed; outcome unchanged: ${text}`))
}
