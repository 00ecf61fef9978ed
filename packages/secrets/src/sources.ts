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

/** Raised by the local file source; names the file and what to fix, never quotes its content. */
export class LocalSecretError extends Error {
  override readonly name = 'LocalSecretError'
}

/** Where in the text a JSON parser stopped, as " (line, column)"; never the text itself. */
function parseFailureAt(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : ''
  const offset = /at position (\d+)/.exec(message)?.[1]
  if (offset !== undefined) {
    const lines = text.slice(0, Number(offset)).split('\n')
    return ` (line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1})`
  }
  // Some parser messages quote the text instead of giving a position: those are not repeated.
  return /end of JSON input/.test(message) ? ' (it ends too early, or is empty)' : ''
}

/** A few of the file's keys (secret ids, not values), to spot a typo. */
function keysOf(data: object): string {
  const keys = Object.keys(data)
  if (keys.length === 0) return 'It has no keys.'
  const shown = keys.slice(0, 10).map((key) => JSON.stringify(key))
  return `It has ${shown.join(', ')}${keys.length > shown.length ? `, and ${keys.length - shown.length} more` : ''}.`
}

/**
 * Secrets from a JSON file, for development without AWS: `{ "prod/db": { ... }, "prod/api-key": "..." }`.
 * An object value becomes its JSON text (like a key/value secret); `{ "$binary": "<base64>" }` is a
 * binary secret. Read on every fetch, so edits show up after the TTL. Version stages are ignored.
 * Its errors name the file and the setting that chose it, never its content.
 */
export class LocalFileSource implements SecretSource {
  readonly path: string
  readonly #setting: string
  readonly #named: string

  /** `setting`: where the path came from, named in errors (`LAMINA_SECRETS_FILE` or the option). */
  constructor(path: string, setting = 'the localFile option') {
    this.path = resolve(path)
    this.#setting = setting
    this.#named = `The local secrets file ${this.path} (from ${setting})`
  }

  async #read(): Promise<object> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new LocalSecretError(
        code === 'ENOENT'
          ? `${this.#named} does not exist; create it, or remove ${this.#setting} to read secrets from Secrets Manager.`
          : `${this.#named} could not be read (${code ?? String(error)}).`,
      )
    }
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch (error) {
      // The parser's message quotes the file's content: say where, never what.
      throw new LocalSecretError(`${this.#named} is not valid JSON${parseFailureAt(text, error)}.`)
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new LocalSecretError(
        `${this.#named} must hold a JSON object of secret id to value, like { "prod/db": { ... } }.`,
      )
    }
    return data
  }

  async fetch(target: SecretTarget): Promise<FetchedSecret> {
    const data = await this.#read()
    const value = Object.getOwnPropertyDescriptor(data, target.id)
    if (value === undefined) {
      throw new LocalSecretError(`${this.#named} has no "${target.id}"; add it as a key. ${keysOf(data)}`)
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
  if (options.localFile) return new LocalFileSource(options.localFile)
  if (env.LAMINA_SECRETS_FILE) return new LocalFileSource(env.LAMINA_SECRETS_FILE, 'LAMINA_SECRETS_FILE')
  return new SecretsManagerSource(clientConfiguration(options, env))
}
