import type { Context } from 'aws-lambda'

export interface DeadlineOptions {
  /** The function's time limit in ms: host.json's functionTimeout (default 5 minutes, the Consumption plan's). */
  timeoutMs?: number
}

export const defaultTimeoutMs = 5 * 60_000

/** Reads `timeoutMs`, refusing values a deadline cannot be made of. */
export function readTimeout(options: DeadlineOptions | undefined, caller: string): number {
  const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(
      `${caller}: timeoutMs must be a positive number of milliseconds (host.json's functionTimeout), got ${String(timeoutMs)}.`,
    )
  }
  return timeoutMs
}

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
