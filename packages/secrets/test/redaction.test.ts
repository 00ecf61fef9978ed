import { containsSecret, minimumSecretLength, redactSecrets } from '@lamina/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { registerFetched } from '../src/redaction.ts'

// Long enough to be registered, and unique per run so other tests' registrations don't matter.
const secretText = fc
  .string({ minLength: minimumSecretLength + 4, maxLength: 40 })
  .map((text) => `${text}§${Math.random().toString(36).slice(2)}`)

describe('redaction registry', () => {
  it('registers every string leaf of a JSON secret, raw and JSON-escaped, however it is logged', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 10 }), secretText, { minKeys: 1, maxKeys: 5 }), (secret) => {
        // Prepare
        const text = JSON.stringify({ nested: secret })
        // Act
        registerFetched({ text })
        // Assess: as the raw secret, inside a JSON log line, and each value on its own.
        for (const logged of [
          text,
          JSON.stringify({ message: text }),
          JSON.stringify({ secret: { nested: secret } }),
        ]) {
          const redacted = redactSecrets(logged)
          expect(containsSecret(redacted)).toBe(false)
          for (const value of Object.values(secret)) expect(redacted).not.toContain(value)
        }
      }),
      { numRuns: 100 },
    )
  })

  it('registers a plain SecretString and its JSON-escaped form', () => {
    // Prepare
    const secret = `quote"back\\slash-${Math.random()}`
    // Act
    registerFetched({ text: secret })
    // Assess
    expect(redactSecrets(`raw ${secret}`)).toBe('raw ****')
    expect(redactSecrets(JSON.stringify({ message: secret }))).toBe('{"message":"****"}')
  })

  it('registers a binary secret as base64 and, when it is text, as UTF-8', () => {
    // Prepare
    const text = `binary-text-${Math.random()}`
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

  it('keeps a text that only looks like JSON registered as it is', () => {
    // Prepare
    const text = `{ not json ${Math.random()}`
    // Act
    registerFetched({ text })
    // Assess
    expect(containsSecret(text)).toBe(true)
  })
})
