import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { SecretFormatError, secrets } from '../src/index.ts'
import type { SchemaLike } from '../src/types.ts'
import {
  exposeSecrets,
  run,
  type SecretsManagerServer,
  startSecretsManagerServer,
  warningCollector,
} from './support.ts'

let server: SecretsManagerServer

const databaseJson = JSON.stringify({ username: 'app_user', password: 'pw-Z9q!x7', port: 5432 })

beforeAll(async () => {
  server = await startSecretsManagerServer({
    'values/plain': 'plain-text-secret',
    'values/db': databaseJson,
    'values/bytes': new Uint8Array([0, 1, 2, 250]),
    'values/text-bytes': new TextEncoder().encode('stored-as-binary'),
    'values/not-json': 'definitely { not json',
    'values/array': '[1,2,3]',
    'values/bad-db': JSON.stringify({ username: 'app_user', password: 12345678, port: 'not-a-port' }),
  })
  server.setSecret('values/empty', null)
})
afterAll(() => server.close())

const DatabaseCredentials = z.object({ username: z.string(), password: z.string(), port: z.number() })
// Warnings (a JSON secret with nothing to mask) are not what these tests are about: kept off stderr.
const options = () => ({ endpoint: server.endpoint, logger: warningCollector().logger })
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the invocation to fail')
    },
    (error: unknown) => error as Error,
  )

describe('secret values', () => {
  it('hands over a SecretString as a string, JSON through a schema, and JSON as an object', async () => {
    // Prepare
    const handler = exposeSecrets(
      secrets(
        {
          plain: 'values/plain',
          db: { id: 'values/db', schema: DatabaseCredentials },
          raw: { id: 'values/db', json: true },
        },
        options(),
      ),
    )
    // Act
    const seen = await run(handler)
    // Assess
    expect(seen.plain).toBe('plain-text-secret')
    expect(seen.db).toEqual({ username: 'app_user', password: 'pw-Z9q!x7', port: 5432 })
    expect(seen.raw).toEqual({ username: 'app_user', password: 'pw-Z9q!x7', port: 5432 })
  })

  it('hands over binary secrets as bytes, or as UTF-8 text when asked for a string', async () => {
    // Prepare
    const handler = exposeSecrets(
      secrets(
        {
          bytes: { id: 'values/bytes', binary: true },
          text: 'values/text-bytes',
          stringAsBytes: { id: 'values/plain', binary: true },
        },
        options(),
      ),
    )
    // Act
    const seen = await run(handler)
    // Assess
    expect(seen.bytes).toEqual(new Uint8Array([0, 1, 2, 250]))
    expect(seen.text).toBe('stored-as-binary')
    expect(new TextDecoder().decode(seen.stringAsBytes as Uint8Array)).toBe('plain-text-secret')
  })

  it('runs an async Standard Schema', async () => {
    // Prepare
    const upperCase: SchemaLike<{ user: string }> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: async (value) => ({
          value: { user: String((value as { username: string }).username).toUpperCase() },
        }),
      },
    }
    const handler = exposeSecrets(secrets({ db: { id: 'values/db', schema: upperCase } }, options()))
    // Act
    const first = await run(handler)
    const second = await run(handler)
    // Assess
    expect(first.db).toEqual({ user: 'APP_USER' })
    expect(second.db).toEqual({ user: 'APP_USER' })
  })

  it('gives each invocation its own context.secrets', async () => {
    // Prepare
    const handler = exposeSecrets(secrets({ plain: 'values/plain' }, options()))
    // Act
    const [first, second] = await Promise.all([run(handler), run(handler)])
    // Assess
    expect(first).not.toBe(second)
    expect(first.plain).toBe(second.plain)
  })

  it('masks the values when context.secrets is serialised or inspected', async () => {
    // Prepare
    const handler = exposeSecrets(secrets({ plain: 'values/plain', db: { id: 'values/db', json: true } }, options()))
    // Act
    const seen = await run(handler)
    // Assess
    expect(JSON.parse(JSON.stringify(seen))).toEqual({ plain: '****', db: '****' })
    expect(inspect(seen)).not.toContain('plain-text-secret')
    expect(inspect(seen)).toContain('****')
  })
})

describe('format errors', () => {
  it('names the secret and the failing paths on a schema failure, never the value', async () => {
    // Prepare
    const handler = exposeSecrets(secrets({ db: { id: 'values/bad-db', schema: DatabaseCredentials } }, options()))
    // Act
    const error = await failureOf(run(handler))
    // Assess
    expect(error).toBeInstanceOf(SecretFormatError)
    expect(error).toMatchObject({ statusCode: 500, secretName: 'db', secretId: 'values/bad-db' })
    expect((error as SecretFormatError).paths).toEqual(['password', 'port'])
    expect(error.message).toContain('"db" (values/bad-db) does not match its schema at password, port')
    expect(error.message).not.toMatch(/12345678|not-a-port/)
  })

  it('reports a whole-value schema failure as (root)', async () => {
    // Prepare
    const handler = exposeSecrets(secrets({ list: { id: 'values/db', schema: z.array(z.number()) } }, options()))
    // Act
    const error = await failureOf(run(handler))
    // Assess
    expect((error as SecretFormatError).paths).toEqual(['(root)'])
  })

  it('says so when a JSON secret is not JSON, without quoting it', async () => {
    // Prepare
    const handler = exposeSecrets(secrets({ config: { id: 'values/not-json', json: true } }, options()))
    // Act
    const error = await failureOf(run(handler))
    // Assess
    expect(error).toBeInstanceOf(SecretFormatError)
    expect(error.message).toContain('is not valid JSON')
    expect(error.message).not.toContain('definitely')
    expect(error.cause).toBeUndefined()
  })

  it('rejects JSON that is not an object when no schema is given', async () => {
    // Prepare
    const handler = exposeSecrets(secrets({ config: { id: 'values/array', json: true } }, options()))
    // Act
    const error = await failureOf(run(handler))
    // Assess
    expect(error.message).toContain('is JSON but not an object')
  })

  it('rejects a version with neither SecretString nor SecretBinary', async () => {
    // Prepare
    const handler = exposeSecrets(secrets({ empty: 'values/empty' }, options()))
    // Act
    const error = await failureOf(run(handler))
    // Assess
    expect(error.message).toContain('has neither SecretString nor SecretBinary')
  })

  it('fails every invocation with a cached bad value without fetching it again', async () => {
    // Prepare
    server.resetCounters()
    const handler = exposeSecrets(secrets({ config: { id: 'values/array', json: true } }, options()))
    // Act
    const errors = [await failureOf(run(handler)), await failureOf(run(handler))]
    // Assess
    expect(errors.map((error) => error.name)).toEqual(['SecretFormatError', 'SecretFormatError'])
    expect(server.callsFor('values/array')).toBe(1)
  })
})
