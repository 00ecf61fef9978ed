import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalSecretError, SecretsUnavailableError, secrets } from '../src/index.ts'
import { clientConfiguration, createSource, LocalFileSource, SecretsManagerSource } from '../src/sources.ts'
import { exposeSecrets, run, type SecretsManagerServer, startSecretsManagerServer } from './support.ts'

let folder: string
let file: string

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'lamina-secrets-'))
  file = join(folder, 'secrets.local.json')
  await writeFile(
    file,
    JSON.stringify({
      'dev/api-key': 'local-api-key-123',
      'dev/db': { username: 'dev', password: 'local-db-password' },
      'dev/cert': { $binary: Buffer.from([9, 8, 7]).toString('base64') },
    }),
  )
})
afterAll(() => rm(folder, { recursive: true, force: true }))

describe('local secrets file', () => {
  it('serves strings, objects (as JSON secrets) and $binary entries without AWS', async () => {
    // Prepare
    const handler = exposeSecrets(
      secrets(
        { apiKey: 'dev/api-key', db: { id: 'dev/db', json: true }, cert: { id: 'dev/cert', binary: true } },
        { localFile: file },
      ),
    )
    // Act
    const seen = await run(handler)
    // Assess
    expect(seen.apiKey).toBe('local-api-key-123')
    expect(seen.db).toEqual({ username: 'dev', password: 'local-db-password' })
    expect(seen.cert).toEqual(new Uint8Array([9, 8, 7]))
  })

  it('is picked from LAMINA_SECRETS_FILE when no option names one', () => {
    // Act
    const source = createSource({}, { LAMINA_SECRETS_FILE: file })
    // Assess
    expect(source).toBeInstanceOf(LocalFileSource)
    expect((source as LocalFileSource).path).toBe(file)
  })

  it('says which key to add when the file lacks the secret', async () => {
    // Prepare
    const handler = exposeSecrets(secrets({ missing: 'dev/missing' }, { localFile: file }))
    // Act
    const error = (await run(handler).catch((thrown: unknown) => thrown)) as SecretsUnavailableError
    // Assess
    expect(error).toBeInstanceOf(SecretsUnavailableError)
    expect(error.cause).toBeInstanceOf(LocalSecretError)
    expect((error.cause as Error).message).toContain('has no "dev/missing"; add it as a key')
  })

  it('never quotes the file when it is not JSON or cannot be read', async () => {
    // Prepare
    const broken = join(folder, 'broken.json')
    await writeFile(broken, '{ "dev/api-key": "leaked-if-quoted" ')
    // Act
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => new Error('no failure'),
        (error: Error) => error,
      )
    const unparsable = await failure(new LocalFileSource(broken).fetch({ id: 'dev/api-key' }))
    const absent = await failure(new LocalFileSource(join(folder, 'absent.json')).fetch({ id: 'x' }))
    // Assess
    expect(unparsable.message).toContain('could not be read (invalid JSON)')
    expect(unparsable.message).not.toContain('leaked-if-quoted')
    expect(absent.message).toContain('could not be read (ENOENT)')
  })

  it('does not find inherited keys such as __proto__ or constructor', async () => {
    // Act
    const errors = await Promise.all(
      ['constructor', 'toString', '__proto__'].map((id) =>
        new LocalFileSource(file).fetch({ id }).catch((error: Error) => error),
      ),
    )
    // Assess
    for (const error of errors) expect(error).toBeInstanceOf(LocalSecretError)
  })
})

describe('Secrets Manager client configuration', () => {
  let server: SecretsManagerServer
  beforeAll(async () => {
    server = await startSecretsManagerServer({ 'env/key': 'from-the-env-endpoint' })
  })
  afterAll(() => server.close())

  it('uses a loopback endpoint from AWS_ENDPOINT_URL_SECRETS_MANAGER with a local region and dummy credentials', async () => {
    // Prepare
    const config = clientConfiguration({}, { AWS_ENDPOINT_URL_SECRETS_MANAGER: server.endpoint })
    const source = new SecretsManagerSource({ ...config, endpoint: server.endpoint })
    // Act
    const fetched = await source.fetch({ id: 'env/key' })
    // Assess
    expect(config).toMatchObject({ region: 'us-east-1', credentials: { accessKeyId: 'lamina-local' } })
    expect(fetched.text).toBe('from-the-env-endpoint')
  })

  it('leaves region and credentials to the SDK for a real endpoint or a configured environment', () => {
    // Act
    const remote = clientConfiguration({ endpoint: 'https://secretsmanager.eu-west-1.amazonaws.com' }, {})
    const configured = clientConfiguration(
      {},
      { AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIA' },
    )
    const garbled = clientConfiguration({ endpoint: 'not a url' }, {})
    // Assess
    expect(remote).not.toHaveProperty('region')
    expect(remote).not.toHaveProperty('credentials')
    expect(configured).not.toHaveProperty('region')
    expect(configured).not.toHaveProperty('credentials')
    expect(garbled).not.toHaveProperty('credentials')
  })

  it('lets options win: region, and clientConfig over the defaults', () => {
    // Act
    const config = clientConfiguration(
      { region: 'ap-south-1', endpoint: 'http://127.0.0.1:1', clientConfig: { maxAttempts: 1 } },
      {},
    )
    // Assess
    expect(config).toMatchObject({ region: 'ap-south-1', endpoint: 'http://127.0.0.1:1', maxAttempts: 1 })
    expect(config.requestHandler).toEqual({ connectionTimeout: 3_000, requestTimeout: 5_000 })
  })
})

describe('argument checks', () => {
  it('refuses bad definitions at creation, saying what to write instead', () => {
    // Assess
    expect(() => secrets({})).toThrow('takes at least one secret')
    expect(() => secrets(null as never)).toThrow('takes at least one secret')
    expect(() => secrets({ refresh: 'x' })).toThrow('"refresh" is a reserved name')
    expect(() => secrets({ a: '' })).toThrow('needs a non-empty id')
    expect(() => secrets({ a: 42 as never })).toThrow('must be a secret id or { id')
    expect(() => secrets({ a: { id: 'x', schema: {} as never } })).toThrow('not a Standard Schema')
    expect(() => secrets({ a: { id: 'x', binary: true, json: true } })).toThrow('both binary and JSON')
    expect(() => secrets({ a: 'x' }, { ttlMs: -1 })).toThrow('ttlMs must be a number of milliseconds >= 0, got -1')
    expect(() => secrets({ a: 'x' }, { staleIfErrorMs: Number.NaN })).toThrow('staleIfErrorMs')
  })

  it('accepts any other secret name and id, and puts the value under that name', async () => {
    // Prepare
    const server = await startSecretsManagerServer()
    const reserved = new Set(['refresh', 'toJSON', '__proto__'])
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ minLength: 1, maxLength: 20 }).filter((name) => !reserved.has(name)),
          fc.string({ minLength: 1, maxLength: 40 }),
          async (name, id) => {
            server.setSecret(id, `value-of-${id}`)
            const seen = await run(exposeSecrets(secrets({ [name]: id }, { endpoint: server.endpoint })))
            expect(seen[name]).toBe(`value-of-${id}`)
          },
        ),
        { numRuns: 40 },
      )
    } finally {
      await server.close()
    }
  })
})
