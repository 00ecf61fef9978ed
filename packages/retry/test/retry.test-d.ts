import { type AttemptInfo, type RetryError, type RetryOptions, retry } from '@lamina/retry'
import { describe, expectTypeOf, it } from 'vitest'

describe('retry() types', () => {
  it('resolves to what the function returns, awaited', () => {
    expectTypeOf(retry(async () => 42)).toEqualTypeOf<Promise<number>>()
    expectTypeOf(retry(() => 'now')).toEqualTypeOf<Promise<string>>()
  })

  it('hands the function its attempt number and signal', () => {
    void retry((info) => {
      expectTypeOf(info).toEqualTypeOf<AttemptInfo>()
      expectTypeOf(info.attempt).toEqualTypeOf<number>()
      expectTypeOf(info.signal).toEqualTypeOf<AbortSignal>()
    })
  })

  it('checks its options', () => {
    expectTypeOf<RetryOptions['isRetryable']>().toEqualTypeOf<
      ((error: unknown, attempt: number) => boolean) | undefined
    >()
    // @ts-expect-error: attempts is a number
    void retry(() => 1, { attempts: '3' })
    // @ts-expect-error: no such option
    void retry(() => 1, { retries: 3 })
    expectTypeOf<RetryError['reason']>().toEqualTypeOf<'exhausted' | 'deadline' | 'aborted'>()
  })
})
