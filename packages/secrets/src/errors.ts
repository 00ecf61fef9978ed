import { describeCause, diagnose, type SecretConfigurationReason } from './diagnosis.js'
import type { SecretTarget } from './types.js'

export type { SecretConfigurationReason }

const failureMessage = (secretName: string, secretId: string, cause: unknown, advice: string) =>
  `Secret "${secretName}" (${secretId}) could not be fetched: ${describeCause(cause)}${advice ? ` ${advice}` : ''}`

/**
 * A secret could not be fetched (after the SDK's retries) for a reason that may pass, and no
 * cached value was recent enough to serve. Maps to 503: the function is fine, a dependency is
 * not. The message says what failed first, then what to check; it never holds a value.
 */
export class SecretsUnavailableError extends Error {
  override readonly name = 'SecretsUnavailableError'
  readonly statusCode = 503

  constructor(
    readonly secretName: string,
    readonly secretId: string,
    cause: unknown,
  ) {
    super(failureMessage(secretName, secretId, cause, diagnose({ id: secretId }, cause).advice), { cause })
  }
}

/**
 * A secret could not be fetched and retrying will not help: it does not exist, the role may not
 * read it, there are no credentials or region (outside AWS), the SDK cannot load, or the local
 * secrets file is wrong. Maps to 500: the fix is in the configuration. The message says what
 * failed first, then what to change; `reason` says which case it is.
 */
export class SecretConfigurationError extends Error {
  override readonly name = 'SecretConfigurationError'
  readonly statusCode = 500

  constructor(
    readonly secretName: string,
    readonly secretId: string,
    readonly reason: SecretConfigurationReason,
    cause: unknown,
    advice = '',
  ) {
    super(failureMessage(secretName, secretId, cause, advice), { cause })
  }
}

/** The error for a failed fetch: a configuration error when retrying cannot help, unavailable otherwise. */
export function fetchError(
  secretName: string,
  target: SecretTarget,
  cause: unknown,
): SecretConfigurationError | SecretsUnavailableError {
  const { reason, advice } = diagnose(target, cause)
  return reason === undefined
    ? new SecretsUnavailableError(secretName, target.id, cause)
    : new SecretConfigurationError(secretName, target.id, reason, cause, advice)
}

/**
 * A fetched secret does not have the shape its definition asks for (not JSON, not an object,
 * or a schema failure). It names the secret and the failing paths, never the value. Maps to 500:
 * the fix is in the secret or its schema, not in the request.
 */
export class SecretFormatError extends Error {
  override readonly name = 'SecretFormatError'
  readonly statusCode = 500

  constructor(
    readonly secretName: string,
    readonly secretId: string,
    problem: string,
    /** The failing paths, e.g. `['password', 'port']` (`(root)` for the whole value). */
    readonly paths: readonly string[] = [],
  ) {
    super(`Secret "${secretName}" (${secretId}) ${problem}; fix the stored secret or its definition in secrets().`)
  }
}
