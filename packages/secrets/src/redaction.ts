import { registerSecret } from '@lamina/core'
import type { FetchedSecret } from './types.js'

/** A value as it appears inside a JSON string (quotes, backslashes, control characters escaped). */
const jsonEscaped = (value: string) => JSON.stringify(value).slice(1, -1)

function registerText(value: string): void {
  registerSecret(value)
  const escaped = jsonEscaped(value)
  if (escaped !== value) registerSecret(escaped)
}

/** Every string leaf of a parsed JSON value, however deep. */
function registerLeaves(value: unknown, depth: number): void {
  if (typeof value === 'string') registerText(value)
  else if (depth < 32 && typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) registerLeaves(child, depth + 1)
  }
}

/**
 * Registers everything a fetched secret could show up as in a log line: the raw SecretString,
 * each string leaf when it is JSON, the JSON-escaped form of each, and for binary secrets the
 * base64 and (when it is text) UTF-8 forms. The logger masks whatever is registered.
 */
export function registerFetched(secret: FetchedSecret): void {
  if (secret.text !== undefined) {
    registerText(secret.text)
    const trimmed = secret.text.trimStart()
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        registerLeaves(JSON.parse(secret.text), 0)
      } catch {
        // Not JSON after all: the raw text is registered, which is all there is.
      }
    }
  }
  if (secret.binary !== undefined) {
    const bytes = Buffer.from(secret.binary.buffer, secret.binary.byteOffset, secret.binary.byteLength)
    registerSecret(bytes.toString('base64'))
    const text = bytes.toString('utf8')
    if (!text.includes('\uFFFD')) registerText(text)
  }
}
