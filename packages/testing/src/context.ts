import { randomUUID } from 'node:crypto'
import type { Context } from 'aws-lambda'

export interface ContextOptions extends Partial<Omit<Context, 'getRemainingTimeInMillis'>> {
  /** The function timeout; the deadline is now + timeoutMs. Default 3000 (Lambda's default). */
  timeoutMs?: number
  /** Set false for a context without getRemainingTimeInMillis, as some tools pass. */
  deadline?: boolean
}

const notInNode24 = (name: string) => () => {
  throw new Error(`context.${name}() is gone in the Node.js 24 runtime; return or throw from the handler instead.`)
}

/**
 * A Lambda context like the runtime's: request id, ARN, and a deadline that counts down in
 * real (or faked) time from when it was created.
 */
export function createContext(options: ContextOptions = {}): Context {
  const { timeoutMs = 3000, deadline = true, ...overrides } = options
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new RangeError(`createContext: timeoutMs must be a non-negative number of milliseconds, got ${timeoutMs}.`)
  }
  const functionName = overrides.functionName ?? 'lamina-test'
  const deadlineMs = Date.now() + timeoutMs
  const context: Context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/01/01/[$LATEST]00000000000000000000000000000000',
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    done: notInNode24('done'),
    fail: notInNode24('fail'),
    succeed: notInNode24('succeed'),
    ...overrides,
  }
  if (!deadline) delete (context as Partial<Context>).getRemainingTimeInMillis
  return context
}
