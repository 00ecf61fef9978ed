/**
 * The part of Standard Schema v1 this package reads (zod 4, valibot, arktype... all fit).
 * Declared structurally so that the published types need no extra package.
 */
export interface SchemaLike<Output = unknown> {
  readonly '~standard': {
    readonly version: 1
    readonly vendor: string
    readonly validate: (value: unknown) => SchemaResult<Output> | Promise<SchemaResult<Output>>
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined
  }
}

export type SchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<SchemaIssue> }

export interface SchemaIssue {
  readonly message: string
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined
}

/** The output type of a Standard Schema. */
export type SchemaOutput<S> = S extends { readonly '~standard': { readonly types?: infer T } }
  ? NonNullable<T> extends { readonly output: infer O }
    ? O
    : unknown
  : unknown

/**
 * Which values of a JSON secret are masked in logs besides those under sensitive keys
 * (`password`, `token`, `apiKey`... see the README): dotted paths into the stored JSON
 * (`'oauth.refresh'`; `*` matches any key or index: `'users.*.pin'`), or `'all'` for every
 * string and number in it. `[]` says "the default keys are enough" and silences the warning
 * for a JSON secret in which nothing is masked.
 */
export type RedactOption = 'all' | readonly string[]

/** One secret, in full. */
export interface SecretDefinition {
  /** Secret name or ARN. */
  id: string
  /** Parse the SecretString as JSON and validate it (Standard Schema: zod 4, valibot...). */
  schema?: SchemaLike
  /** Parse the SecretString as JSON (an object) without a schema. */
  json?: boolean
  /** Hand the secret over as bytes (`Uint8Array`), whether it was stored as SecretBinary or SecretString. */
  binary?: boolean
  /** Defaults to Secrets Manager's AWSCURRENT. Part of the cache key. */
  versionStage?: string
  /** A specific version. Part of the cache key. */
  versionId?: string
  /** What else to mask in logs: paths into the stored JSON, or `'all'`. See `RedactOption`. */
  redact?: RedactOption
}

/** A secret id (a string) or its full definition. */
export type SecretSpec = string | SecretDefinition

/** What the handler sees for one secret. */
export type SecretValue<S> = S extends string
  ? string
  : S extends { schema: infer Schema extends SchemaLike }
    ? SchemaOutput<Schema>
    : S extends { binary: true }
      ? Uint8Array
      : S extends { json: true }
        ? Record<string, unknown>
        : string

/** `context.secrets` for a `secrets({...})` call: one typed property per name, plus `refresh`. */
export type SecretValues<Specs> = { readonly [Name in keyof Specs]: SecretValue<Specs[Name]> } & SecretControls<
  keyof Specs & string
>

export interface SecretControls<Name extends string> {
  /**
   * Fetches the secret again now (after a rotation, or a rejected credential), whatever its
   * age; concurrent calls share one fetch. This invocation sees the new value when it resolves.
   */
  refresh(name: Name): Promise<void>
}

/** Where warnings go (a stale value served during an outage). Any logger with `warn` fits, Powertools' too. */
export interface WarningSink {
  warn(message: string, ...details: any[]): void
}

export interface SecretsOptions {
  /** How long a fetched value is fresh. Default 300 000 (5 minutes). */
  ttlMs?: number
  /**
   * After the TTL, how long the old value is still served, without waiting, while one refresh
   * runs in the background. Default 60 000. 0 makes every invocation after the TTL wait.
   */
  staleWhileRevalidateMs?: number
  /**
   * After the TTL, how long the old value may be served when fetching fails (after the SDK's own
   * retries), with a warning. Default 900 000 (15 minutes). 0 disables it.
   */
  staleIfErrorMs?: number
  /** Start fetching every secret when the middleware is created (at init), not on first use. Default false. */
  prefetch?: boolean
  /** AWS region. Default: the SDK's (`AWS_REGION`), or us-east-1 for a loopback endpoint. */
  region?: string
  /** Secrets Manager endpoint. Default: the SDK's (`AWS_ENDPOINT_URL_SECRETS_MANAGER`, then AWS). */
  endpoint?: string
  /** Read secrets from this JSON file instead of AWS (local development). Default: `LAMINA_SECRETS_FILE`. */
  localFile?: string
  /** Extra `SecretsManagerClient` configuration (retries, credentials, request handler). */
  clientConfig?: Record<string, unknown>
  /** Receives the warnings: a stale value served during an outage, a redact path that matches nothing. Default: console. */
  logger?: WarningSink
}

/** A secret as fetched, before decoding. */
export interface FetchedSecret {
  text?: string | undefined
  binary?: Uint8Array | undefined
  versionId?: string | undefined
}

/** What is fetched: the cache key is made of all three. */
export interface SecretTarget {
  id: string
  versionStage?: string | undefined
  versionId?: string | undefined
}

/** Fetches one secret; throws when it cannot. */
export interface SecretSource {
  fetch(target: SecretTarget): Promise<FetchedSecret>
}
