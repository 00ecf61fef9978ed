import { containsSecret, forgetSecret, minimumSecretLength, redactSecrets, registerSecret } from '@lamina/core'
import fc from 'fast-check'
import { afterEach, describe, expect, test } from 'vitest'

const registeredHere: string[] = []
const register = (value: string) => {
  registeredHere.push(value)
  registerSecret(value)
}
afterEach(() => {
  for (const value of registeredHere.splice(0)) forgetSecret(value)
})

describe('secret registry', () => {
  test('masks every occurrence of a registered value', () => {
    register('hunter2-canary')
    expect(redactSecrets('a hunter2-canary b hunter2-canary')).toBe('a **** b ****')
    expect(redactSecrets('x hunter2-canary', '[redacted]')).toBe('x [redacted]')
    expect(containsSecret('…hunter2-canary…')).toBe(true)
    expect(containsSecret('nothing here')).toBe(false)
    expect(redactSecrets('nothing here')).toBe('nothing here')
  })

  test('a mask is written as it is: `$&` and the like are not replacement patterns', () => {
    register('dollar-canary')
    expect(redactSecrets('key=dollar-canary;', '[$&]')).toBe('key=[$&];')
    expect(redactSecrets('key=dollar-canary;', "$'$`")).toBe("key=$'$`;")
  })

  test('ignores values too short to mask safely, and non-strings', () => {
    register('abc')
    registerSecret(undefined as never)
    expect(minimumSecretLength).toBe(4)
    expect(redactSecrets('abc abc')).toBe('abc abc')
  })

  test('the registry is one Set on globalThis under Symbol.for("lamina.secrets"), shared by every copy of core', () => {
    register('shared-registry-canary')
    const shared = (globalThis as { [key: symbol]: unknown })[Symbol.for('lamina.secrets')]
    expect(shared).toBeInstanceOf(Set)
    expect((shared as Set<string>).has('shared-registry-canary')).toBe(true)
  })

  test('forgetting a value stops masking it; with nothing registered text passes unchanged', () => {
    register('rotated-secret')
    forgetSecret('rotated-secret')
    expect(redactSecrets('rotated-secret')).toBe('rotated-secret')
  })

  test('property: redaction equals replacing every occurrence of the secret with the mask, whatever the mask', () => {
    // The text around the secret is drawn from other letters, so every occurrence is one the test placed.
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-m]{4,12}$/),
        fc.array(fc.stringMatching(/^[n-z ]*$/)),
        fc.string(),
        (secret, parts, mask) => {
          registerSecret(secret)
          try {
            expect(redactSecrets(parts.join(secret), mask)).toBe(parts.join(mask))
          } finally {
            forgetSecret(secret)
          }
        },
      ),
      { numRuns: 500 },
    )
  })

  test('property: after redaction no registered secret remains in any text', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 12 }), fc.string(), fc.string(), (secret, left, right) => {
        fc.pre(!'****'.includes(secret))
        registerSecret(secret)
        try {
          expect(redactSecrets(`${left}${secret}${right}`)).not.toContain(secret)
        } finally {
          forgetSecret(secret)
        }
      }),
      { numRuns: 1000 },
    )
  })
})
