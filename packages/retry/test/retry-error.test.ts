import { type RetryError, retry } from '@lamina/retry'
import { describe, expect, it, vi } from 'vitest'

describe('RetryError messages', () => {
  it('describe any last failure: a thrown string, a long message clipped, a value that cannot be read', async () => {
    // Prepare
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no reading')
        },
      },
    )
    const always = { attempts: 1, isRetryable: () => true }

    // Act
    const messages = await Promise.all(
      ['socket closed', Object.assign(new Error('x'.repeat(500)), { name: 'Oops' }), hostile].map((thrown) =>
        retry(() => Promise.reject(thrown), always).catch((error: RetryError) => error.message),
      ),
    )
    vi.restoreAllMocks()

    // Assess
    expect(messages[0]).toContain('Gave up after 1 attempt (no attempts left); the last failed with socket closed.')
    expect(messages[1]).toContain(`the last failed with Oops: ${'x'.repeat(199)}….`)
    expect(messages[2]).toContain('the last failed with a value that cannot be printed.')
  })
})
