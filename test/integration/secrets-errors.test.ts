import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { SecretConfigurationError, type SecretsOptions, SecretsUnavailableError, secrets } from '@lamina/secrets'
import { createContext, events } from '@lamina/testing'
import { build } from 'esbuild'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type SecretsManagerServer, startSecretsManagerServer } from '../support/secrets-manager-server.ts'

// What a user sees when a secret cannot be fetched: the real AWS SDK client against a Secrets
// Manager-compatible endpoint on 127.0.0.1, the local file source, and an esbuild bundle run by
// node. The message says what failed first, then what to change; a configuration problem is a
// 500, not a retryable 503.
let server: SecretsManagerServer
let folder: string
const savedEnvironment = { ...process.env }

beforeAll(async () => {
  server = await startSecretsManagerServer({ 'orders/db': JSON.stringify({ password: 'pw-for-errors-test' }) })
  folder = await mkdtemp(join(tmpdir(), 'lamina-secret-errors-'))
})
afterAll(async () => {
  await server.close()
  await rm(folder, { recursive: true, force: true })
})
afterEach(() => {
  server.failAlways(undefined)
  for (const key of Object.keys(process.env)) if (!(key in savedEnvironment)) delete process.env[key]
  Object.assign(process.env, savedEnvironment)
})

/** The error a handler reading one secret rejects with. */
async function failureReading(id: string, options: SecretsOptions, definition: Record<string, unknown> = {}) {
  const handler = wrap<unknown>()
    .use(secrets({ db: { id, ...definition } }, options))
    .handler(async (_event, context) => context.secrets.db)
  return handler({}, createContext()).then(
    () => {
      throw new Error('expected the secret to fail')
    },
    (error: unknown) => error as SecretConfigurationError | SecretsUnavailableError,
  )
}

/** A machine outside AWS: no credentials in the environment or in ~/.aws, no instance metadata. */
function outsideAws(): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key]
  Object.assign(process.env, {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: join(folder, 'no-credentials'),
    AWS_CONFIG_FILE: join(folder, 'no-config'),
  })
}

const awsAdvice = /IAM|secretsmanager:GetSecretValue|region|retried/i

describe('Secrets Manager errors, with the real SDK client', () => {
  it('a missing secret is a configuration error (500) naming the secret id and what to check', async () => {
    // Act
    const error = await failureReading('orders/no-such-secret', { endpoint: server.endpoint })
    // Assess
    expect(error).toBeInstanceOf(SecretConfigurationError)
    expect(error).toMatchObject({ statusCode: 500, reason: 'not-found', secretId: 'orders/no-such-secret' })
    expect(error.message).toMatch(
      /^Secret "db" \(orders\/no-such-secret\) could not be fetched: ResourceNotFoundException: Secrets Manager can't find the specified secret\. Check the secret's name or ARN, and that it exists in the region/,
    )
    expect(error.message).not.toContain('retried')
  })

  it('a missing version names the version asked for', async () => {
    // Act
    const error = await failureReading('orders/db', { endpoint: server.endpoint }, { versionStage: 'AWSPENDING' })
    // Assess
    expect(error).toMatchObject({ statusCode: 500, reason: 'not-found' })
    expect(error.message).toContain('with the version asked for (versionStage AWSPENDING)')
  })

  it('reaches the client as a 500 through errorMapper, not a 503', async () => {
    // Prepare
    const handler = wrap<unknown>()
      .use(errorMapper())
      .use(secrets({ db: 'orders/no-such-secret' }, { endpoint: server.endpoint }))
      .handler(async () => ({ statusCode: 200, body: 'ok' }))
    // Act
    const response = await handler(events.apiGatewayV2({ method: 'GET', path: '/' }) as never, createContext())
    // Assess
    expect(response).toMatchObject({ statusCode: 500 })
    expect(JSON.parse((response as { body: string }).body).message).toBe('Internal Server Error')
  })

  it.each([
    ['AccessDeniedException', 'access-denied', "secretsmanager:GetSecretValue on this secret in the function's role"],
    ['DecryptionFailure', 'access-denied', 'kms:Decrypt'],
    ['UnrecognizedClientException', 'credentials-rejected', 'credentials in use were refused'],
    ['InvalidRequestException', 'rejected', 'Secrets Manager refused the request'],
  ])('%s is a configuration error (%s) that says what to change', async (type, reason, advice) => {
    // Prepare
    server.failAlways({ kind: 'error', status: 400, type, message: `${type} from the test server` })
    // Act
    const error = await failureReading('orders/db', { endpoint: server.endpoint })
    // Assess
    expect(error).toMatchObject({ name: 'SecretConfigurationError', statusCode: 500, reason })
    expect(error.message).toContain(`could not be fetched: ${type}: ${type} from the test server. `)
    expect(error.message).toContain(advice)
  })

  it('a fault that may pass is a 503 that says what failed first, then that the SDK retried', async () => {
    // Prepare
    server.failAlways({ kind: 'internal' })
    // Act
    const error = await failureReading('orders/db', { endpoint: server.endpoint })
    // Assess
    expect(error).toBeInstanceOf(SecretsUnavailableError)
    expect(error.statusCode).toBe(503)
    expect(error.message).toMatch(
      /^Secret "db" \(orders\/db\) could not be fetched: InternalServiceError after 3 attempts: An error occurred on the server side\. No cached value is recent enough to serve\. .*retried by the SDK/,
    )
  })

  it('throttling stays a 503 even though it is a 4xx answer', async () => {
    // Prepare
    server.failAlways({ kind: 'throttle' })
    // Act
    const error = await failureReading('orders/db', { endpoint: server.endpoint, clientConfig: { maxAttempts: 1 } })
    // Assess
    expect(error).toMatchObject({ name: 'SecretsUnavailableError', statusCode: 503 })
    expect(error.message).toContain('could not be fetched: ThrottlingException: Rate exceeded.')
  })

  it('outside AWS without credentials, names LAMINA_SECRETS_FILE and the localFile option', async () => {
    // Prepare: the endpoint in clientConfig, so no local dummy credentials are filled in.
    outsideAws()
    const callsBefore = server.calls.length
    // Act
    const error = await failureReading('orders/db', {
      clientConfig: { endpoint: server.endpoint, region: 'eu-west-1' },
    })
    // Assess
    expect(error).toMatchObject({ name: 'SecretConfigurationError', statusCode: 500, reason: 'no-credentials' })
    expect(error.message).toMatch(
      /^Secret "db" \(orders\/db\) could not be fetched: CredentialsProviderError: Could not load credentials from any providers\. No AWS credentials were found\./,
    )
    expect(error.message).toContain('set LAMINA_SECRETS_FILE=./secrets.local.json (or the localFile option)')
    expect(server.calls.length).toBe(callsBefore)
  })

  it('outside AWS without a region, says so and names LAMINA_SECRETS_FILE', async () => {
    // Prepare
    outsideAws()
    // Act
    const error = await failureReading('orders/db', {
      clientConfig: { endpoint: server.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
    })
    // Assess
    expect(error).toMatchObject({ name: 'SecretConfigurationError', statusCode: 500, reason: 'no-region' })
    expect(error.message).toContain('could not be fetched: Error: Region is missing. No AWS region is configured')
    expect(error.message).toContain('LAMINA_SECRETS_FILE')
  })
})

describe('local secrets file errors', () => {
  const localFile = async (name: string, content: string) => {
    const path = join(folder, name)
    await writeFile(path, content)
    return path
  }

  it('a missing file says so, and names the file and LAMINA_SECRETS_FILE', async () => {
    // Prepare
    const path = join(folder, 'absent.json')
    process.env.LAMINA_SECRETS_FILE = path
    // Act
    const error = await failureReading('orders/db', {})
    // Assess
    expect(error).toMatchObject({ name: 'SecretConfigurationError', statusCode: 500, reason: 'local-file' })
    expect(error.message).toBe(
      `Secret "db" (orders/db) could not be fetched: The local secrets file ${path} (from LAMINA_SECRETS_FILE) does not exist; create it, or remove LAMINA_SECRETS_FILE to read secrets from Secrets Manager.`,
    )
  })

  it('a file that is not JSON says where, never what', async () => {
    // Prepare
    const path = await localFile('broken.json', '{\n  "orders/db": "leaked-if-quoted",\n  "other" 1\n}')
    // Act
    const error = await failureReading('orders/db', { localFile: path })
    // Assess
    expect(error).toMatchObject({ name: 'SecretConfigurationError', statusCode: 500, reason: 'local-file' })
    expect(error.message).toContain(
      `The local secrets file ${path} (from the localFile option) is not valid JSON (line 3, column 11).`,
    )
    expect(error.message).not.toContain('leaked-if-quoted')
    expect(error.message).not.toMatch(awsAdvice)
  })

  it('a file that lacks the secret says which key to add and which keys it has', async () => {
    // Prepare
    const path = await localFile(
      'other.json',
      JSON.stringify({ 'orders/api-key': 'k', 'orders/dbb': { password: 'p' } }),
    )
    // Act
    const error = await failureReading('orders/db', { localFile: path })
    // Assess
    expect(error).toMatchObject({ name: 'SecretConfigurationError', statusCode: 500, reason: 'local-file' })
    expect(error.message).toContain(
      `${path} (from the localFile option) has no "orders/db"; add it as a key. It has "orders/api-key", "orders/dbb".`,
    )
    expect(error.message).not.toMatch(awsAdvice)
  })
})

describe('an ESM bundle', () => {
  const repository = fileURLToPath(new URL('../..', import.meta.url))
  const entry = `
    import { wrap } from '@lamina/core'
    import { secrets } from '@lamina/secrets'
    export const handler = wrap().use(secrets({ db: 'orders/db' })).handler(async (_event, context) => context.secrets.db)
  `
  const runner = `
    const { handler } = await import(process.argv[2])
    const context = { awsRequestId: 'r', functionName: 'f', getRemainingTimeInMillis: () => 3000 }
    try {
      console.log(JSON.stringify({ value: await handler({}, context) }))
    } catch (error) {
      console.log(JSON.stringify({ name: error.name, statusCode: error.statusCode, message: error.message }))
    }
  `

  /** Bundles the entry as users do (esbuild, ESM, Node platform) and runs it in a fresh node. */
  async function bundleAndRun(name: string, banner: string | undefined) {
    const outfile = join(folder, `${name}.mjs`)
    await build({
      stdin: { contents: entry, resolveDir: repository, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      tsconfig: join(repository, 'tsconfig.json'),
      logLevel: 'silent',
      ...(banner ? { banner: { js: banner } } : {}),
    })
    const runnerFile = join(folder, 'run.mjs')
    await writeFile(runnerFile, runner)
    const { stdout } = await promisify(execFile)(process.execPath, [runnerFile, outfile], {
      env: {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: server.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
    })
    return JSON.parse(stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>
  }

  it('without a createRequire banner, the message starts with the dynamic require and says how to fix it', async () => {
    // Act
    const outcome = await bundleAndRun('no-banner', undefined)
    // Assess
    expect(outcome).toMatchObject({ name: 'SecretConfigurationError', statusCode: 500 })
    expect(outcome.message).toMatch(
      /^Secret "db" \(orders\/db\) could not be fetched: Error: Dynamic require of "[^"]+" is not supported\. The function is an ESM bundle/,
    )
    expect(outcome.message).toContain('createRequire')
  })

  it('with the banner the message recommends, the same bundle reads the secret', async () => {
    // Act
    const outcome = await bundleAndRun(
      'with-banner',
      "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    )
    // Assess
    expect(outcome).toEqual({ value: JSON.stringify({ password: 'pw-for-errors-test' }) })
  })
})
