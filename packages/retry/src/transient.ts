import { isTimeoutError } from '@lamina/core'

// AWS's names for throttling and for timeouts that another try may pass.
const transientNames = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
  'RequestTimeout',
  'RequestTimeoutException',
  // The SDK's socket timeout, AbortSignal.timeout()'s DOMException, and retry()'s own attemptTimeoutMs.
  'TimeoutError',
  'AttemptTimeoutError',
])

// A connection that broke or never came: the next one may work.
const transientCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
])

const maxCauseDepth = 5

function read(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined
  try {
    return (value as Record<string, unknown>)[key]
  } catch {
    return undefined
  }
}

const isTransientStatus = (status: unknown) =>
  typeof status === 'number' && (status === 429 || (status >= 500 && status <= 599))

function isTransientItself(error: unknown): boolean {
  // The invocation's own deadline (a timeout guard's TimeoutError, 504): nothing is left to retry in.
  if (isTimeoutError(error)) return false
  // The AWS SDK marks what its models call retryable (throttling included).
  if (read(error, '$retryable') !== undefined && read(error, '$retryable') !== null) return true
  const name = read(error, 'name')
  if (typeof name === 'string' && transientNames.has(name)) return true
  const code = read(error, 'code')
  if (typeof code === 'string' && transientCodes.has(code)) return true
  return (
    isTransientStatus(read(read(error, '$metadata'), 'httpStatusCode')) ||
    isTransientStatus(read(error, 'statusCode')) ||
    isTransientStatus(read(error, 'status'))
  )
}

/**
 * Whether another attempt may succeed: throttling (AWS SDK names, `$retryable`, HTTP 429), a 5xx
 * answer, a broken connection (`ECONNRESET`, `ETIMEDOUT`, `EPIPE`, undici's socket errors), or a
 * timeout of the call itself. `fetch` wraps the socket error in `cause`, so causes are read too.
 * Never the invocation's own `TimeoutError`.
 */
export function isTransientError(error: unknown): boolean {
  let current = error
  for (let depth = 0; depth <= maxCauseDepth && current !== undefined && current !== null; depth++) {
    if (isTimeoutError(current)) return false
    if (isTransientItself(current)) return true
    current = read(current, 'cause')
  }
  return false
}
