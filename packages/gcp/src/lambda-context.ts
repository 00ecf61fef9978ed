import type { Context } from 'aws-lambda'

export interface DeadlineOptions {
  /** The function's time limit in ms: its deployed `--timeout` (default 60 s, an HTTP function's default). */
  timeoutMs?: number
}

export const defaultTimeoutMs = 60_000

/** Reads `timeoutMs`, refusing values a deadline cannot be made of. */
export function readTimeout(options: DeadlineOptions | undefined, caller: string): number {
  const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(
      `${caller}: timeoutMs must be a positive number of milliseconds (the function's --timeout), got ${String(timeoutMs)}.`,
    )
  }
  return timeoutMs
}

/** The function's name as Google's runtime sets it: the service (K_SERVICE), else the entry point. */
export const platformFunctionName = (): string => process.env.K_SERVICE ?? process.env.FUNCTION_TARGET ?? ''

const gone = (name: string) => () => {
  throw new Error(`context.${name}() does not exist outside AWS Lambda; return or throw from the handler instead.`)
}

/**
 * A Lambda-shaped context for one invocation: the platform's invocation id as awsRequestId and a
 * deadline counting down from the invocation's start, so `timeoutGuard()` ends it in time.
 */
export function lambdaContext(requestId: string, functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: '',
    memoryLimitInMB: '',
    awsRequestId: requestId,
    logGroupName: '',
    logStreamName: '',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: gone('done'),
    fail: gone('fail'),
    succeed: gone('succeed'),
  }
}
