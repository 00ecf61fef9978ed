import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { FetchedSecret, SecretSource, SecretsOptions, SecretTarget } from './types.js'

type SdkModule = typeof import('@aws-sdk/client-secrets-manager')
type Client = InstanceType<SdkModule['SecretsManagerClient']>

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1'])

function isLoopback(endpoint: string | undefined): boolean {
  if (!endpoint) return false
  try {
    return loopbackHosts.has(new URL(endpoint).hostname)
  } catch {
    return false
  }
}

/** Client configuration: the user's, over our defaults (timeouts; keep-alive is the SDK's default). */
export function clientConfiguration(options: SecretsOptions, env = process.env): Record<string, unknown> {
  const endpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? env.AWS_ENDPOINT_URL
  const local = isLoopback(endpoint)
  const config: Record<string, unknown> = {
    // Without a request timeout a half-open socket would hang the invocation until Lambda kills it.
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
  }
  if (options.endpoint !== undefined) config.endpoint = options.endpoint
  const region = options.region ?? (local && !env.AWS_REGION && !env.AWS_DEFAULT_REGION ? 'us-east-1' : undefined)
  if (region !== undefined) config.region = region
  // A local stand-in accepts any signature; without this a fresh machine would probe IMDS and fail.
  if (local && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) {
    config.credentials = { accessKeyId: 'lamina-local', secretAccessKey: 'lamina-local' }
  }
  return { ...config, ...options.clientConfig }
}

/**
 * Secrets Manager through the AWS SDK v3. The SDK is imported and the client created on the
 * first fetch, once (a failed creation is retried on the next fetch).
 */
export class SecretsManagerSource implements SecretSource {
  #ready: Promise<[SdkModule, Client]> | undefined

  constructor(private readonly config: Record<string, unknown>) {}

  #client(): Promise<[SdkModule, Client]> {
    this.#ready ??= import('@aws-sdk/client-secrets-manager').then(
      (sdk) => [sdk, new sdk.SecretsManagerClient(this.config)] as [SdkModule, Client],
      (error: unknown) => {
        this.#ready = undefined
        throw error
      },
    )
    return this.#ready
  }

  async fetch(target: SecretTarget): Promise<FetchedSecret> {
    const [sdk, client] = await this.#client()
    const output = await client.send(
      new sdk.GetSecretValueCommand({
        SecretId: target.id,
        VersionStage: target.versionStage,
        VersionId: target.versionId,
      }),
    )
    return { text: output.SecretString, binary: output.SecretBinary, versionId: output.VersionId }
  }
}

/** Raised by the local file source; never carries file content. */
export class LocalSecretError extends Error {
  override readonly name = 'LocalSecretError'
}

/**
 * Secrets from a JSON file, for development without AWS: `{ "prod/db": { ... }, "prod/api-key": "..." }`.
 * An object value becomes its JSON text (like a key/value secret); `{ "$binary": "<base64>" }` is a
 * binary secret. Read on every fetch, so edits show up after the TTL. Version stages are ignored.
 */
export class LocalFileSource implements SecretSource {
  readonly path: string

  constructor(path: string) {
    this.path = resolve(path)
  }

  async fetch(target: SecretTarget): Promise<FetchedSecret> {
    let data: unknown
    try {
      data = JSON.parse(await readFile(this.path, 'utf8'))
    } catch (error) {
      // The parser's message quotes the file's content: say where, never what.
      const reason = (error as NodeJS.ErrnoException).code ?? 'invalid JSON'
      throw new LocalSecretError(`The local secrets file ${this.path} could not be read (${reason}).`)
    }
    const value =
      typeof data === 'object' && data !== null ? Object.getOwnPropertyDescriptor(data, target.id) : undefined
    if (value === undefined) {
      throw new LocalSecretError(`The local secrets file ${this.path} has no "${target.id}"; add it as a key.`)
    }
    const stored: unknown = value.value
    if (typeof stored === 'string') return { text: stored }
    if (
      typeof stored === 'object' &&
      stored !== null &&
      typeof (stored as { $binary?: unknown }).$binary === 'string'
    ) {
      return { binary: new Uint8Array(Buffer.from((stored as { $binary: string }).$binary, 'base64')) }
    }
    return { text: JSON.stringify(stored) }
  }
}

/** The local file when one is configured, Secrets Manager otherwise. */
export function createSource(options: SecretsOptions, env = process.env): SecretSource {
  const localFile = options.localFile ?? env.LAMINA_SECRETS_FILE
  if (localFile) return new LocalFileSource(localFile)
  return new SecretsManagerSource(clientConfiguration(options, env))
}
