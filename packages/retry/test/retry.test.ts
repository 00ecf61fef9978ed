import { isTimeoutError, TimeoutError } from '@lamina/core'
import { AttemptTimeoutError, RetryError, retry } from '@lamina/retry'
import { afterEach, describe, expect, it, vi } from 'vitest'

const throttled = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('retry()', () => {
  it('returns the first success without waiting, passing the attempt number and a signal', async () => {
    // Prepare
    const calls: { attempt: number; aborted: boolean }[] = []

    // Act
    const result = await retry(({ attempt, signal }) => {
      calls.push({ attempt, aborted: signal.aborted })
      return 'done'
    })

    // Assess
    expect(result).toBe('done')
    expect(calls).toEqual([{ attempt: 1, aborted: false }])
  })

  it('retries transient failures until one attempt succeeds', async () => {
    // Prepare
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const attempts: number[] = []

    // Act
    const result = await retry(
      async ({ attempt }) => {
        attempts.push(attempt)
        if (attempt === 1) throw throttled()
        if (attempt === 2) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
        return attempt
      },
      { attempts: 3 },
    )

    // Assess
    expect(result).toBe(3)
    expect(attempts).toEqual([1, 2, 3])
  })

  it('rethrows a failure that is not transient at once, as it is', async () => {
    // Prepare
    const refused = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
    })
    let calls = 0

    // Act
    const outcome = retry(() => {
      calls++
      throw refused
    })

    // Assess
    await expect(outcome).rejects.toBe(refused)
    expect(calls).toBe(1)
  })

  it('never retries the invocation timing out (a guard TimeoutError)', async () => {
    // Prepare
    let calls = 0

    // Act
    const outcome = retry(() => {
      calls++
      throw new TimeoutError()
    })

    // Assess
    await expect(outcome).rejects.toSatisfy(isTimeoutError)
    expect(calls).toBe(1)
  })

  it('gives up after `attempts` with a RetryError naming them and the last failure', async () => {
    // Prepare
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const last = throttled()
    let calls = 0

    // Act
    const outcome = retry(
      () => {
        calls++
        throw calls === 3 ? last : throttled()
      },
      { attempts: 3 },
    )

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'RetryError', attempts: 3, reason: 'exhausted', cause: last })
    await expect(outcome).rejects.toThrow(
      'Gave up after 3 attempts (no attempts left); the last failed with ThrottlingException: Rate exceeded.',
    )
    expect(calls).toBe(3)
  })

  it('asks isRetryable instead of the default when given', async () => {
    // Prepare
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const asked: [string, number][] = []

    // Act
    const result = await retry(
      ({ attempt }) => {
        if (attempt < 3) throw new Error('conflict')
        return 'merged'
      },
      {
        isRetryable: (error, attempt) => {
          asked.push([(error as Error).message, attempt])
          return true
        },
      },
    )

    // Assess
    expect(result).toBe('merged')
    expect(asked).toEqual([
      ['conflict', 1],
      ['conflict', 2],
    ])
  })

  it('waits a full-jitter delay between attempts: random · min(maxMs, baseMs · 2^(n−1))', async () => {
    // Prepare
    vi.useFakeTimers()
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const started: number[] = []
    const outcome = retry(
      () => {
        started.push(Date.now())
        throw throttled()
      },
      { attempts: 4, baseMs: 100, maxMs: 300 },
    )
    const settled = outcome.catch((error: unknown) => error)

    // Act
    await vi.runAllTimersAsync()

    // Assess: waits of 50, 100 and 150 (the cap of 400 clipped to 300)
    expect(await settled).toBeInstanceOf(RetryError)
    expect(started.slice(1).map((time, index) => time - (started[index] as number))).toEqual([50, 100, 150])
  })

  it('stops before a wait that would end past the context deadline', async () => {
    // Prepare
    vi.spyOn(Math, 'random').mockReturnValue(0.99)
    let calls = 0

    // Act
    const outcome = retry(
      () => {
        calls++
        throw throttled()
      },
      { baseMs: 500, context: { getRemainingTimeInMillis: () => 300 } },
    )

    // Assess
    await expect(outcome).rejects.toMatchObject({ reason: 'deadline', attempts: 1 })
    await expect(outcome).rejects.toThrow('would pass the deadline, 300 ms away')
    expect(calls).toBe(1)
  })

  it('ends a wait at once when the signal aborts, naming the attempts made', async () => {
    // Prepare
    vi.useFakeTimers()
    vi.spyOn(Math, 'random').mockReturnValue(1)
    const invocation = new AbortController()
    let calls = 0
    const outcome = retry(
      () => {
        calls++
        throw throttled()
      },
      { attempts: 5, baseMs: 60_000, maxMs: 60_000, signal: invocation.signal },
    )
    const settled = outcome.catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(0)

    // Act: no time passes; the abort alone ends it
    invocation.abort()
    const error = await settled

    // Assess
    expect(error).toMatchObject({ name: 'RetryError', reason: 'aborted', attempts: 1 })
    expect((error as Error).message).toContain(
      'Gave up after 1 attempt (the signal aborted while waiting for attempt 2)',
    )
    expect(calls).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('ends a running attempt at once when the signal aborts, and aborts the attempt signal', async () => {
    // Prepare
    const invocation = new AbortController()
    let attemptSignal: AbortSignal | undefined
    const outcome = retry(
      ({ signal }) => {
        attemptSignal = signal
        invocation.abort()
        return new Promise(() => undefined)
      },
      { signal: invocation.signal },
    )

    // Act
    const error = await outcome.catch((caught: unknown) => caught)

    // Assess
    expect(error).toMatchObject({ reason: 'aborted', attempts: 1 })
    expect(attemptSignal?.aborted).toBe(true)
  })

  it('makes no attempt when the signal has already aborted', async () => {
    // Prepare
    let calls = 0

    // Act
    const outcome = retry(() => void calls++, { signal: AbortSignal.abort() })

    // Assess
    await expect(outcome).rejects.toMatchObject({ reason: 'aborted', attempts: 0 })
    await expect(outcome).rejects.toThrow('Gave up after 0 attempts before the first attempt; no attempt was made.')
    expect(calls).toBe(0)
  })

  it('abandons an attempt past attemptTimeoutMs, aborting its signal, and tries again', async () => {
    // Prepare
    vi.useFakeTimers()
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const reasons: unknown[] = []
    const outcome = retry(
      ({ attempt, signal }) => {
        signal.addEventListener('abort', () => reasons.push(signal.reason))
        return attempt === 1 ? new Promise(() => undefined) : 'second try'
      },
      { attemptTimeoutMs: 1000 },
    )

    // Act: the attempt's limit passes, then the (zero) wait
    await vi.advanceTimersByTimeAsync(1000)
    await vi.advanceTimersByTimeAsync(1) // a zero wait is a 1 ms timer, as in Node
    const result = await outcome

    // Assess
    expect(result).toBe('second try')
    expect(reasons).toEqual([expect.any(AttemptTimeoutError)])
  })
})
