/** Why `retry()` gave up on transient failures. */
export type RetryStop = 'exhausted' | 'deadline' | 'aborted'

function describe(error: unknown): string {
  try {
    const name = (error as { name?: unknown } | null)?.name
    const message = (error as { message?: unknown } | null)?.message
    const text = typeof message === 'string' ? message : String(error)
    const clipped = text.length > 200 ? `${text.slice(0, 199)}…` : text
    return typeof name === 'string' ? `${name}: ${clipped}` : clipped
  } catch {
    return 'a value that cannot be printed'
  }
}

const advice: Record<RetryStop, string> = {
  exhausted:
    'The failures were transient (throttling, 5xx, broken connections, timeouts): raise attempts or maxMs, or call less often.',
  deadline: 'Retrying would have outlived the invocation: raise the function timeout, or lower maxMs so the waits fit.',
  aborted: "The signal aborted (the invocation's deadline, or the caller gave up): nothing more is tried.",
}

/** Thrown when `retry()` stops on a transient failure; `cause` is the last failure. */
export class RetryError extends Error {
  override readonly name = 'RetryError'

  constructor(
    /** How many attempts were made (0 when the signal had aborted before the first). */
    readonly attempts: number,
    readonly reason: RetryStop,
    last: unknown,
    detail: string,
  ) {
    const failures = attempts === 0 ? 'no attempt was made' : `the last failed with ${describe(last)}`
    super(`Gave up after ${attempts} attempt${attempts === 1 ? '' : 's'} ${detail}; ${failures}. ${advice[reason]}`, {
      cause: last,
    })
  }
}

/** An attempt that ran past `attemptTimeoutMs`: transient, so the next attempt may start. */
export class AttemptTimeoutError extends Error {
  override readonly name = 'AttemptTimeoutError'

  constructor(readonly timeoutMs: number) {
    super(`The attempt took longer than attemptTimeoutMs (${timeoutMs} ms) and was abandoned; its signal was aborted.`)
  }
}
