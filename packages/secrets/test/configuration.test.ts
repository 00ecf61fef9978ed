import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalSecretError, SecretConfigurationError, secrets } from '../src/index.ts'
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
    expect(createSource({ localFile: file }, { LAMINA_SECRETS_FILE: 'elsewhere.json' })).toMatchObject({ path: file })
  })

  it('says which key to add when the file lacks the secret: a configuration error', async () => {
    // Prepare
    const handler = exposeSecrets(secrets({ missing: 'dev/missing' }, { localFile: file }))
    // Act
    const error = (await run(handler).catch((thrown: unknown) => thrown)) as SecretConfigurationError
    // Assess
    expect(error).toBeInstanceOf(SecretConfigurationError)
    expect(error).toMatchObject({ statusCode: 500, reason: 'local-file' })
    expect(error.cause).toBeInstanceOf(LocalSecretError)
    expect(error.message).toContain(
      `${file} (from the localFile option) has no "dev/missing"; add it as a key. It has "dev/api-key", "dev/db", "dev/cert".`,
    )
  })

  it('never quotes the file when it is not JSON, not an object, or cannot be read', async () => {
    // Prepare
    const broken = join(folder, 'broken.json')
    const truncated = join(folder, 'truncated.json')
    const list = join(folder, 'list.json')
    const quoting = join(folder, 'quoting.json')
    await writeFile(broken, '{ "dev/api-key": "leaked-if-quoted" ')
    await writeFile(quoting, '{ "dev/api-key": tru, "leaked-if-quoted": 1 }')
    await writeFile(truncated, '')
    await writeFile(list, '["leaked-if-quoted"]')
    // Act
    const failure = (path: string, id = 'dev/api-key') =>
      new LocalFileSource(path).fetch({ id }).then(
        () => new Error('no failure'),
        (error: Error) => error,
      )
    const [unparsable, empty, notAnObject, directory, quoted] = await Promise.all([
      failure(broken),
      failure(truncated),
      failure(list),
      failure(folder),
      failure(quoting),
    ])
    // Assess
    expect(unparsable.message).toBe(
      `The local secrets file ${broken} (from the localFile option) is not valid JSON (line 1, column 37).`,
    )
    expect(empty.message).toContain('is not valid JSON (it ends too early, or is empty)')
    expect(notAnObject.message).toContain('must hold a JSON object of secret id to value')
    expect(directory.message).toBe(
      `The local secrets file ${folder} (from the localFile option) could not be read (EISDIR).`,
    )
    expect(quoted.message).toMatch(/ is not valid JSON( \(line \d+, column \d+\))?\.$/)
    for (const error of [unparsable, empty, notAnObject, quoted])
      expect(error.message).not.toContain('leaked-if-quoted')
  })

  it('counts the keys it does not show when the file has many', async () => {
    // Prepare
    const many = join(folder, 'many.json')
    await writeFile(
      many,
      JSON.stringify(Object.fromEntries(Array.from({ length: 13 }, (_, index) => [`k${index}`, 'v']))),
    )
    const empty = join(folder, 'empty-object.json')
    await writeFile(empty, '{}')
    // Act
    const [manyKeys, noKeys] = await Promise.all(
      [many, empty].map((path) => new LocalFileSource(path).fetch({ id: 'absent' }).catch((error: Error) => error)),
    )
    // Assess
    expect((manyKeys as Error).message).toContain(
      'It has "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", and 3 more.',
    )
    expect((noKeys as Error).message).toContain('has no "absent"; add it as a key. It has no keys.')
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
