import { randomUUID } from 'node:crypto'
import { containsSecret, minimumSecretLength, redactSecrets } from '@lamina/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { defaultSensitiveKeys, isSensitiveKey } from '../src/index.ts'
import { addToPolicy, emptyPolicy, registerFetched } from '../src/redaction.ts'
import type { RedactOption } from '../src/types.ts'

// The registry is process-wide: every value a test checks is unique (a UUID), so what other
// tests registered never matters.
const unique = (label: string) => `${label}-${randomUUID()}`
const policy = (redact?: RedactOption) => {
  const made = emptyPolicy()
  addToPolicy(made, redact)
  return made
}
/** The ways a value of a JSON secret reaches a log line: the whole text, in a message, as an object. */
const loggedForms = (text: string) => [
  text,
  JSON.stringify({ message: text }),
  JSON.stringify({ level: 'INFO', secret: JSON.parse(text) }),
]
const masked = (value: string, text: string) => loggedForms(text).every((line) => !redactSecrets(line).includes(value))
const readable = (value: string, text: string) => loggedForms(text).every((line) => redactSecrets(line).includes(value))

// A key's words in one of the spellings people use: dbPassword, db_password, DB-PASSWORD, dbpassword.
const spelled = (words: string[], style: number) => {
  const lower = words.map((word) => word.toLowerCase())
  if (style === 0) return lower.map((word, index) => (index ? word[0]?.toUpperCase() + word.slice(1) : word)).join('')
  if (style === 1) return lower.join('_')
  if (style === 2) return lower.join('-').toUpperCase()
  return lower.join('')
}
const wordsOf = (key: string) => key.split(/(?=[A-Z])|_/)
const prefixWord = fc.constantFrom('', 'db', 'aws', 'x', 'primary', 'stripe')
const sensitiveKey = fc
  .tuple(prefixWord, fc.constantFrom(...defaultSensitiveKeys), fc.integer({ min: 0, max: 3 }), fc.boolean())
  .map(
    ([prefix, term, style, plural]) => spelled([prefix, ...wordsOf(term)].filter(Boolean), style) + (plural ? 's' : ''),
  )
// Names of things about a secret, or parts of an RDS secret: never secret by default.
const ordinaryKey = fc
  .tuple(
    prefixWord,
    fc.constantFrom(
      'engine',
      'host',
      'port',
      'dbname',
      'username',
      'region',
      'tokenType',
      'tokenUrl',
      'secretArn',
      'secretName',
      'passwordLastChanged',
      'keyId',
      'publicKey',
    ),
    fc.integer({ min: 0, max: 3 }),
  )
  .map(([prefix, name, style]) => spelled([prefix, ...wordsOf(name)].filter(Boolean), style))

describe('sensitive keys', () => {
  it('matches the default keys in any case, with a prefix, separators or a plural', () => {
    fc.assert(
      fc.property(sensitiveKey, (key) => {
        expect(isSensitiveKey(key)).toBe(true)
      }),
    )
  })

  it('never matches the ordinary parts of a secret or names of things about a secret', () => {
    fc.assert(
      fc.property(ordinaryKey, (key) => {
        expect(isSensitiveKey(key)).toBe(false)
      }),
    )
  })

  it('masks the values under sensitive keys at any depth and leaves every other value readable', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(sensitiveKey, ordinaryKey, fc.string({ maxLength: 12 })), fc.nat(2)), {
          minLength: 1,
          maxLength: 6,
        }),
        (entries) => {
          // Prepare: each value under its key at the top of an entry, in an object, or in an array.
          const placed = entries.map(([key, depth]) => {
            const value = unique('value')
            const holder = { [key]: value }
            return { key, value, place: depth === 0 ? holder : depth === 1 ? { group: holder } : { list: [holder] } }
          })
          const text = JSON.stringify({ entries: placed.map(({ place }) => place) })
          // Act
          registerFetched({ text }, policy())
          // Assess
          for (const { key, value } of placed) {
            if (isSensitiveKey(key)) expect(masked(value, text)).toBe(true)
            else expect(readable(value, text)).toBe(true)
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('masks everything under a sensitive key, numbers and nested objects included', () => {
    // Prepare
    const password = 482_913_774
    const user = unique('aws-user')
    const key = unique('aws-key')
    const text = JSON.stringify({ pin: { password }, credentials: { user, nested: [{ key }] }, enabled: true })
    // Act
    registerFetched({ text }, policy())
    // Assess
    expect(masked(String(password), text)).toBe(true)
    expect(masked(user, text)).toBe(true)
    expect(masked(key, text)).toBe(true)
  })
})

describe('what a secret lists in redact', () => {
  it("redact: 'all' masks every string and number, however deep", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ maxLength: 10 }),
          fc.oneof(
            fc.string({ minLength: minimumSecretLength, maxLength: 20 }).map((text) => `${text}${unique('leaf')}`),
            fc.integer({ min: 100_000_000, max: 2_000_000_000 }),
          ),
          { minKeys: 1, maxKeys: 5 },
        ),
        (leaves) => {
          // Prepare
          const text = JSON.stringify({ nested: leaves, list: [leaves] })
          // Act
          registerFetched({ text }, policy('all'))
          // Assess
          for (const line of loggedForms(text)) expect(containsSecret(redactSecrets(line))).toBe(false)
          for (const value of Object.values(leaves)) expect(masked(String(value), text)).toBe(true)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('masks the values at the listed dotted paths, with * for any key or index, and nothing beside them', () => {
    // Prepare
    const refresh = unique('refresh')
    const clientId = unique('client-id')
    const pins = [unique('pin'), unique('pin')]
    const names = [unique('name'), unique('name')]
    const text = JSON.stringify({
      oauth: { clientId, refresh },
      users: [...pins.map((pin, index) => ({ pin, name: names[index] })), { name: 'no pin' }],
    })
    // Act
    const report = registerFetched({ text }, policy(['oauth.refresh', 'users.*.pin']))
    // Assess
    expect(report.unmatchedPaths).toEqual([])
    for (const value of [refresh, ...pins]) expect(masked(value, text)).toBe(true)
    for (const value of [clientId, ...names]) expect(readable(value, text)).toBe(true)
  })

  it('reports the paths that lead nowhere, and never a value', () => {
    // Prepare
    const text = JSON.stringify({ oauth: { refresh: unique('refresh') }, port: 5432 })
    // Act
    const report = registerFetched({ text }, policy(['oauth.refersh', 'port.number', 'missing.*', 'oauth.refresh']))
    // Assess
    expect(report.unmatchedPaths).toEqual(['oauth.refersh', 'port.number', 'missing.*'])
  })

  it('survives a hostile, deeply nested secret, masking what it reaches', () => {
    // Prepare: 5 000 levels, with a token near the top and under 'all'.
    const token = unique('token')
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`
    const text = `{"token":"${token}","deep":${deep}}`
    // Act
    const register = () => {
      registerFetched({ text }, policy())
      registerFetched({ text }, policy('all'))
    }
    // Assess
    expect(register).not.toThrow()
    expect(containsSecret(token)).toBe(true)
  })

  it('keeps a logged JSON secret valid JSON: the whole text is not masked as one value', () => {
    // Prepare: compact JSON in stored key order, as the console stores key/value secrets.
    const secret = { engine: 'postgres', host: unique('host'), password: unique('password') }
    const text = JSON.stringify(secret)
    // Act
    registerFetched({ text }, policy())
    const line = redactSecrets(JSON.stringify({ level: 'INFO', db: secret }))
    // Assess
    expect(JSON.parse(line)).toEqual({ level: 'INFO', db: { ...secret, password: '****' } })
  })
})

describe('plain and binary secrets', () => {
  it('registers a plain SecretString and its JSON-escaped form', () => {
    // Prepare
    const secret = `quote"back\\slash-${randomUUID()}`
    // Act
    registerFetched({ text: secret })
    // Assess
    expect(redactSecrets(`raw ${secret}`)).toBe('raw ****')
    expect(redactSecrets(JSON.stringify({ message: secret }))).toBe('{"message":"****"}')
  })

  it('registers a binary secret as base64 and, when it is text, as UTF-8', () => {
    // Prepare
    const text = unique('binary-text')
    const bytes = new TextEncoder().encode(text)
    const opaque = new Uint8Array([0xff, 0xfe, 0x00, 0x81, 0x42, 0x99])
    // Act
    registerFetched({ binary: bytes })
    registerFetched({ binary: opaque })
    // Assess
    expect(containsSecret(text)).toBe(true)
    expect(containsSecret(Buffer.from(bytes).toString('base64'))).toBe(true)
    expect(containsSecret(Buffer.from(opaque).toString('base64'))).toBe(true)
  })

  it('applies the key rules to a binary secret holding JSON', () => {
    // Prepare
    const token = unique('token')
    const host = unique('host')
    const text = JSON.stringify({ token, host })
    // Act
    registerFetched({ binary: new TextEncoder().encode(text) }, policy())
    // Assess
    expect(masked(token, text)).toBe(true)
    expect(readable(host, text)).toBe(true)
  })

  it('keeps a text that only looks like JSON registered as it is', () => {
    // Prepare
    const text = `{ not json ${randomUUID()}`
    // Act
    registerFetched({ text })
    // Assess
    expect(containsSecret(text)).toBe(true)
  })
})
