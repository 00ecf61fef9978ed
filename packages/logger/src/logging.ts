import { Logger } from '@aws-lambda-powertools/logger'
import type { Middleware } from '@lamina/core'
import { type CorrelationIdSource, findCorrelationId } from './correlation-id.js'
import { redactLoggerOutput, redactPaths } from './redaction.js'

export interface LoggingOptions {
  /** The Powertools Logger to use. Default: a new one, named by `POWERTOOLS_SERVICE_NAME`. */
  logger?: Logger
  /**
   * Log the incoming event: `true`, `false`, or a sample rate between 0 and 1.
   * Default: Powertools' `POWERTOOLS_LOGGER_LOG_EVENT` (off unless set).
   */
  logEvent?: boolean | number
  /** Dot paths masked in the logged event, e.g. `['headers.authorization', 'body']`. */
  redact?: readonly string[]
  /** Where the correlation id is: a dot path into the event or a function. Default: by event source. */
  correlationId?: CorrelationIdSource
  /** Log the invocation's error at `onError`, with stack and causes. Default true. */
  logError?: boolean
  /** Remove temporary keys (`appendKeys`) when the invocation ends. Default true. */
  resetKeys?: boolean
}

/** The message of the line written when an invocation fails. */
export const errorMessage = 'Invocation failed'
export const eventMessage = 'Lambda invocation event'

type LambdaContext = Parameters<Logger['addContext']>[0]

// Invocations running now, per Logger: decides when shared keys may be reset (see cleanup).
const inFlight = new WeakMap<Logger, number>()
// Each error written, with the context of the invocation that wrote it: an error crossing nested
// wrapped handlers (one context) is logged once, and the same error object thrown again by a
// later invocation (a cached init failure) is logged again there.
const loggedIn = new WeakMap<object, object>()

function checkOptions(options: LoggingOptions): void {
  const { logEvent, redact } = options
  if (typeof logEvent === 'number' && !(logEvent >= 0 && logEvent <= 1)) {
    throw new RangeError(`logging({ logEvent }) takes true, false or a sample rate from 0 to 1; got ${logEvent}.`)
  }
  if (
    redact !== undefined &&
    (!Array.isArray(redact) || redact.some((path) => typeof path !== 'string' || path === ''))
  ) {
    throw new TypeError("logging({ redact }) takes dot paths into the event, like ['headers.authorization'].")
  }
}

function shouldLogEvent(logger: Logger, logEvent: LoggingOptions['logEvent']): boolean {
  if (typeof logEvent === 'number') return logEvent > 0 && Math.random() < logEvent
  return logger.shouldLogEvent(logEvent)
}

function describeError(error: unknown): Error | { value: string } {
  return error instanceof Error ? error : { value: String(error) }
}

/**
 * Structured logging on a Powertools Logger: Lambda context keys, cold start, X-Ray trace id and
 * a correlation id on every line; the event (optionally, redacted); the error once, at error
 * level; registered secrets masked everywhere; `context.logger` for the handler.
 */
export function logging(options: LoggingOptions = {}): Middleware<{ context: { logger: Logger } }> {
  checkOptions(options)
  const logger = options.logger ?? new Logger()
  redactLoggerOutput(logger)
  const { logEvent, correlationId, redact = [], logError = true, resetKeys = true } = options
  // Set by the runtime before init under Lambda Managed Instances: Powertools then keeps keys per invocation.
  const keysPerInvocation = (process.env.AWS_LAMBDA_MAX_CONCURRENCY ?? '') !== ''

  return {
    name: 'logging',
    before(request) {
      inFlight.set(logger, (inFlight.get(logger) ?? 0) + 1)
      const { event, context } = request
      logger.refreshSampleRateCalculation()
      logger.addContext(context as LambdaContext)
      const id = findCorrelationId(event, correlationId)
      if (id !== undefined) logger.appendKeys({ correlation_id: id })
      context.logger = logger
      if (shouldLogEvent(logger, logEvent)) {
        logger.logEventIfEnabled(redact.length > 0 ? redactPaths(event, redact) : event, true)
      }
    },
    onError(request) {
      const error = request.error
      if (!logError) return
      const invocation = request.context
      if (typeof error === 'object' && error !== null && typeof invocation === 'object' && invocation !== null) {
        if (loggedIn.get(error) === invocation) return
        loggedIn.set(error, invocation)
      }
      // Before any mapper turns it into a response: errorMapper goes outside logging.
      logger.error({ message: errorMessage, error: describeError(error) })
    },
    cleanup() {
      const running = (inFlight.get(logger) ?? 1) - 1
      inFlight.set(logger, running)
      logger.clearBuffer()
      // Under Lambda Managed Instances (AWS_LAMBDA_MAX_CONCURRENCY) Powertools keeps keys per
      // invocation, so each resets its own. Otherwise the keys are the process's: resetting them
      // while another invocation runs would strip its correlation id, so the last one out resets.
      if (resetKeys && (running === 0 || keysPerInvocation)) logger.resetKeys()
    },
  }
}
