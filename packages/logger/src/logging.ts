import { Logger } from '@aws-lambda-powertools/logger'
import { type Middleware, orderKey, orderRank, type Request } from '@lamina/core'
import { type CorrelationIdSource, correlationIdReader } from './correlation-id.js'
import {
  type ClientErrorLevel,
  clientErrorLevels,
  clientStatusOf,
  writeClientError,
  writeFailure,
} from './error-lines.js'
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
  /** Log the invocation's error, once, with stack and causes. Default true. */
  logError?: boolean
  /**
   * The level of the line for an error answered with a 4xx HTTP response (the caller's mistake):
   * `warn` (default), `info` or `debug` without a stack; `error` logs it as a failure, with its
   * stack; `off` writes nothing. Errors answered otherwise (5xx, or thrown to Lambda) are always
   * failures.
   */
  clientErrorLevel?: ClientErrorLevel
  /** Remove temporary keys (`appendKeys`) when the invocation ends. Default true. */
  resetKeys?: boolean
}

export { clientErrorMessage, errorMessage } from './error-lines.js'
export const eventMessage = 'Lambda invocation event'

type LambdaContext = Parameters<Logger['addContext']>[0]

// What logging() knows about one invocation, kept on its own request (never in the middleware):
// whether its before ran, and as what; the error it holds back until the answer is known.
const role = Symbol('lamina.logging.role')
const heldError = Symbol('lamina.logging.heldError')
type Tracked = Request & {
  /** `keys`: it set the Logger's keys. `nested`: a wrapped handler called by another with the same context. */
  [role]?: 'keys' | 'nested'
  [heldError]?: { error: unknown }
}

// Outside Lambda Managed Instances a Logger's keys are one set per process. Its slot holds the
// invocation that set them last and has not ended; the next invocation to start takes them over,
// so one that never ends (a hook that never settles) holds them only until then. One slot per
// Logger, shared by every logging() on it, found once at init: an invocation reads and writes a
// field, not a WeakMap entry.
interface KeySlot {
  holder: Request | undefined
}
const keySlots = new WeakMap<Logger, KeySlot>()

function keySlotOf(logger: Logger): KeySlot {
  let slot = keySlots.get(logger)
  if (slot === undefined) {
    slot = { holder: undefined }
    keySlots.set(logger, slot)
  }
  return slot
}
// Each error written, with the context of the invocation that wrote it: an error crossing nested
// wrapped handlers (one context) is logged once, and the same error object thrown again by a
// later invocation (a cached init failure) is logged again there.
const loggedIn = new WeakMap<object, object>()

const isObjectLike = (value: unknown): value is object =>
  (typeof value === 'object' || typeof value === 'function') && value !== null

function checkOptions(options: LoggingOptions): void {
  const { logEvent, redact, clientErrorLevel } = options
  if (typeof logEvent === 'number' && !(logEvent >= 0 && logEvent <= 1)) {
    throw new RangeError(`logging({ logEvent }) takes true, false or a sample rate from 0 to 1; got ${logEvent}.`)
  }
  if (
    redact !== undefined &&
    (!Array.isArray(redact) || redact.some((path) => typeof path !== 'string' || path === ''))
  ) {
    throw new TypeError("logging({ redact }) takes dot paths into the event, like ['headers.authorization'].")
  }
  if (clientErrorLevel !== undefined && !clientErrorLevels.includes(clientErrorLevel)) {
    throw new TypeError(
      `logging({ clientErrorLevel }) takes one of ${clientErrorLevels.map((level) => `'${level}'`).join(', ')}; got ${String(clientErrorLevel)}.`,
    )
  }
}

function shouldLogEvent(logger: Logger, logEvent: LoggingOptions['logEvent']): boolean {
  if (typeof logEvent === 'number') return logEvent > 0 && Math.random() < logEvent
  return logger.shouldLogEvent(logEvent)
}

/** True the first time `error` is seen in this invocation (by context); records it. */
function firstSighting(error: unknown, context: unknown): boolean {
  if (!isObjectLike(error) || !isObjectLike(context)) return true
  if (loggedIn.get(error) === context) return false
  loggedIn.set(error, context)
  return true
}

/**
 * Structured logging on a Powertools Logger: Lambda context keys, cold start, X-Ray trace id and
 * a correlation id on every line; the event (optionally, redacted); the error once, at the level
 * its answer calls for; registered secrets masked everywhere; `context.logger` for the handler.
 */
export function logging(options: LoggingOptions = {}): Middleware<{ context: { logger: Logger } }> {
  checkOptions(options)
  const logger = options.logger ?? new Logger()
  redactLoggerOutput(logger)
  const { logEvent, redact = [], logError = true, resetKeys = true } = options
  const correlationIdOf = correlationIdReader(options.correlationId)
  const keySlot = keySlotOf(logger)
  const clientErrorLevel = options.clientErrorLevel ?? 'warn'
  // Set by the runtime before init under Lambda Managed Instances: Powertools then keeps keys per invocation.
  const keysPerInvocation = (process.env.AWS_LAMBDA_MAX_CONCURRENCY ?? '') !== ''

  /** Takes the keys over (or joins the caller's, when nested) and sets this invocation's. */
  function start(request: Tracked): void {
    const { event, context } = request
    const holder = keysPerInvocation ? undefined : keySlot.holder
    if (holder !== undefined && holder.context === context) {
      request[role] = 'nested'
    } else {
      request[role] = 'keys'
      // Keys still set by an invocation that has not ended (one running alongside, or one stuck
      // in a hook that never settles) are not this invocation's.
      if (holder !== undefined && resetKeys) logger.resetKeys()
      if (!keysPerInvocation) keySlot.holder = request
    }
    logger.refreshSampleRateCalculation()
    logger.addContext(context as LambdaContext)
    const id = correlationIdOf(event)
    if (id !== undefined) logger.appendKeys({ correlation_id: id })
  }

  /** Ends the invocation's part in the Logger: its buffer, and its keys unless another took them over. */
  function end(request: Tracked): void {
    if (request[role] === 'nested') return
    logger.clearBuffer()
    if (!keysPerInvocation) {
      const holder = keySlot.holder
      // A later invocation holds the keys now: they are its to reset.
      if (holder !== undefined && holder !== request) return
      keySlot.holder = undefined
    }
    if (resetKeys) logger.resetKeys()
  }

  /** Writes the held-back error once the answer is known: a 4xx answer is the caller's mistake. */
  function writeAnswered(error: unknown, response: unknown): void {
    const status = response === undefined ? undefined : clientStatusOf(response)
    if (status === undefined) writeFailure(logger, error)
    else writeClientError(logger, clientErrorLevel, error, status)
  }

  return {
    name: 'logging',
    [orderKey]: orderRank.observability,
    before(request) {
      const tracked = request as Tracked
      start(tracked)
      request.context.logger = logger
      if (shouldLogEvent(logger, logEvent)) {
        logger.logEventIfEnabled(redact.length > 0 ? redactPaths(tracked.event, redact) : tracked.event, true)
      }
    },
    onError(request) {
      const tracked = request as Tracked
      try {
        if (tracked[role] === undefined) {
          // A middleware ahead of this one failed in its before (the timeout guard, when the
          // invocation starts inside its margin), so no cleanup runs for logging either: set
          // this invocation's keys, write the error now (the answer is not known yet), end.
          try {
            start(tracked)
          } catch {
            // A correlationId function that throws: the line goes out without that key.
          }
          if (logError && firstSighting(tracked.error, tracked.context)) writeFailure(logger, tracked.error)
          end(tracked)
          return
        }
        const error = tracked.error
        if (!logError || !firstSighting(error, tracked.context)) return
        // Whether a 4xx error is the caller's mistake depends on the answer, which an error
        // mapper outside logging() gives after this: hold it until cleanup. Every other error is
        // a failure whatever the answer, and is written now, before any mapper runs.
        if (clientStatusOf(error) !== undefined) tracked[heldError] = { error }
        else writeFailure(logger, error)
      } catch {
        // Logging must never change the invocation's outcome.
      }
    },
    cleanup(request) {
      const tracked = request as Tracked
      const held = tracked[heldError]
      if (held !== undefined) writeAnswered(held.error, tracked.response)
      end(tracked)
    },
  }
}
