import { randomUUID } from 'node:crypto'
import { registerSecret } from '@lamina/core'
import { hostileValues } from '@lamina/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fetchError } from '../src/errors.ts'
import { LocalSecretError, SecretConfigurationError, SecretsUnavailableError } from '../src/index.ts'

const target = { id: 'prod/db' }
const prefix = 'Secret "db" (prod/db) could not be fetched: '

describe('fetchError: what failed first, then what to do', () => {
  it('says the AWS SDK is missing, and how to read secrets without it', () => {
    // Prepare: what Node throws when the peer dependency is not installed.
    const missing = Object.assign(
      new Error("Cannot find package '@aws-sdk/client-secrets-manager' imported from /var/task/index.mjs"),
      { code: 'ERR_MODULE_NOT_FOUND' },
    )
    // Act
    const error = fetchError('db', target, missing)
    // Assess
    expect(error).toBeInstanceOf(SecretConfigurationError)
    expect(error).toMatchObject({ statusCode: 500, reason: 'sdk-missing' })
    expect(error.message).toContain(`${prefix}Error: Cannot find package '@aws-sdk/client-secrets-manager'`)
    expect(error.message).toContain('Install @aws-sdk/client-secrets-manager')
    expect(error.message).toContain('LAMINA_SECRETS_FILE')
  })

  it('passes a local file error on as it is: it already names the file and the fix', () => {
    // Act
    const error = fetchError(
      'db',
      target,
      new LocalSecretError(
        'The local secrets file /x.json (from LAMINA_SECRETS_FILE) has no "prod/db"; add it as a key.',
      ),
    )
    // Assess
    expect(error.message).toBe(
      `${prefix}The local secrets file /x.json (from LAMINA_SECRETS_FILE) has no "prod/db"; add it as a key.`,
    )
  })

  it('masks a registered secret that an error message would carry, and shortens a long one', () => {
    // Prepare
    const secret = `leaked-${randomUUID()}`
    registerSecret(secret)
    // Act
    const masked = fetchError('db', target, new Error(`connect failed for ${secret}`))
    const long = fetchError('db', target, new Error('x'.repeat(1_000)))
    // Assess
    expect(masked.message).toContain('Error: connect failed for ****.')
    expect(masked.message).not.toContain(secret)
    expect(long.message).toContain(`${'x'.repeat(290)}…`)
    expect(long.message.length).toBeLessThan(700)
  })

  it('a constructed SecretsUnavailableError gives the same message', () => {
    // Act
    const error = new SecretsUnavailableError('db', 'prod/db', new Error('socket hang up'))
    // Assess
    expect(error.message).toMatch(
      /^Secret "db" \(prod\/db\) could not be fetched: Error: socket hang up\. No cached value/,
    )
  })

  it('describes anything thrown without throwing', () => {
    // Prepare
    const thrown = fc.oneof(
      fc.anything(),
      fc.record({ name: fc.string(), message: fc.string(), $fault: fc.constantFrom('client', 'server') }),
    )
    fc.assert(
      fc.property(thrown, (cause) => {
        // Act
        const error = fetchError('db', target, cause)
        // Assess
        expect(error.message.startsWith(prefix)).toBe(true)
        expect([500, 503]).toContain(error.statusCode)
        expect(error.cause).toBe(cause)
      }),
      { numRuns: 300 },
    )
  })

  it.each(hostileValues().map((hostile) => [hostile.name, hostile.value]))(
    'describes a hostile thrown value (%s) without throwing',
    (_name, cause) => {
      // Act
      const error = fetchError('db', target, cause)
      // Assess
      expect(error.message.startsWith(prefix)).toBe(true)
      expect(error.statusCode).toBe(503)
    },
  )

  it('names the error when it has no message, and shows a plain thrown string', () => {
    // Act
    const unnamed = fetchError('db', target, Object.assign(new Error(''), { name: 'TimeoutError' }))
    const plain = fetchError('db', target, 'socket closed')
    // Assess
    expect(unnamed.message).toContain(`${prefix}TimeoutError. No cached value`)
    expect(plain.message).toContain(`${prefix}socket closed. No cached value`)
  })
})
