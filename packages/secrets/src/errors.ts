/** The short, value-free description of why a fetch failed (an SDK error's name, or a message). */
function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const attempts = (cause as { $metadata?: { attempts?: number } }).$metadata?.attempts
    return attempts && attempts > 1 ? `${cause.name} after ${attempts} attempts` : cause.name
  }
  return String(cause)
}

/**
 * A secret could not be fetched (after the SDK's retries) and no cached value was recent enough
 * to serve. Maps to 503: the function is fine, a dependency is not. It names the secret, never a value.
 */
export class SecretsUnavailableError extends Error {
  override readonly name = 'SecretsUnavailableError'
  readonly statusCode = 503

  constructor(
    readonly secretName: string,
    readonly secretId: string,
    cause: unknown,
  ) {
    super(
      `Secret "${secretName}" (${secretId}) could not be fetched (${describeCause(cause)}) and no cached value is recent enough to serve. ` +
        'Check that the secret exists in this region, that the function role may call secretsmanager:GetSecretValue on it, ' +
        'and that the endpoint is reachable; throttling and 5xx answers were already retried by the SDK.',
      { cause },
    )
  }
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
