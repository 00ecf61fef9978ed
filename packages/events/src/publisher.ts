import type { EventBridgeClient, PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge'
import { entrySize, maxRequestBytes, toBatches } from './batches.js'

/** Detail types mapped to their detail: `{ 'Order Placed': { orderId: string } }`. */
export type DetailMap = Record<string, object>

export interface PublisherOptions {
  /** The EventBridge client to use (create it at init, once). Default: one made on the first publish. */
  client?: EventBridgeClient
  /** The event bus's name or ARN. */
  eventBusName: string
  /** The `source` of every event this publisher sends, e.g. `'shop.orders'`. */
  source: string
  /**
   * Attempts for an entry PutEvents reports as failed with a retryable code (`InternalFailure`,
   * `ThrottlingException`), the first included. Default 3. Other codes are never retried.
   */
  maxAttempts?: number
  /** Base of the full-jitter backoff before a retry, in ms: the n-th retry waits up to base × 2^(n−1). Default 100. */
  retryBaseMs?: number
}

export interface PublishOptions {
  /** ARNs the events concern (PutEvents `Resources`). */
  resources?: string[]
  /** The events' time; EventBridge's receive time when left out. */
  time?: Date
  /** Stops waiting and retrying when it aborts: pass the invocation's `signal`. */
  signal?: AbortSignal
}

export interface PublishResult {
  /** The id EventBridge gave each event, in the order the details were given. */
  eventIds: string[]
}

/** One entry PutEvents did not take, and why. */
export interface PublishFailure {
  /** Its position in the details given to `publish`. */
  index: number
  detailType: string
  /** PutEvents' `ErrorCode` for the entry, or the name of the error that failed its whole call. */
  errorCode: string
  errorMessage: string
  /** How many times it was sent. */
  attempts: number
}

const maxListed = 5

/**
 * Raised when some entries were not published after the retries. `failures` says which and why;
 * `eventIds` holds the ids of the ones that were (`undefined` at a failed entry's index), so a
 * caller can resend only the failed ones.
 */
export class PublishError extends Error {
  override name = 'PublishError'
  readonly failures: PublishFailure[]
  readonly eventIds: (string | undefined)[]

  constructor(failures: PublishFailure[], eventIds: (string | undefined)[], cause?: unknown) {
    const listed = failures
      .slice(0, maxListed)
      .map(
        (failure) =>
          `#${failure.index} (${failure.detailType}): ${failure.errorCode}: ${failure.errorMessage} after ${failure.attempts} attempt${failure.attempts === 1 ? '' : 's'}`,
      )
      .join('; ')
    const more = failures.length > maxListed ? ` (and ${failures.length - maxListed} more)` : ''
    super(
      `${failures.length} of ${eventIds.length} events were not published to EventBridge: ${listed}${more}. ` +
        'The rest were published (see eventIds); resend the failed ones, or fix what the error codes name.',
      cause === undefined ? undefined : { cause },
    )
    this.failures = failures
    this.eventIds = eventIds
  }
}

export interface Publisher<Events extends DetailMap> {
  /**
   * Publishes one event or many of one detail type, in calls of at most 10 entries and 256 KB,
   * retrying entries that failed for a retryable reason; throws a `PublishError` naming the
   * entries that still failed.
   */
  publish<K extends keyof Events & string>(
    detailType: K,
    detail: Events[K] | readonly Events[K][],
    options?: PublishOptions,
  ): Promise<PublishResult>
}

const retryableCodes: ReadonlySet<string> = new Set(['InternalFailure', 'ThrottlingException'])

// The SDK is loaded on the first publish, not when this module is: a function that only consumes
// events never pays for it. Once per process, shared by every publisher.
let sdk: Promise<typeof import('@aws-sdk/client-eventbridge')> | undefined
const loadSdk = () => {
  sdk ??= import('@aws-sdk/client-eventbridge')
  return sdk
}

function checkOptions(options: PublisherOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError("publisher() takes options such as { eventBusName: 'orders', source: 'shop.orders' }.")
  }
  for (const key of ['eventBusName', 'source'] as const) {
    if (typeof options[key] !== 'string' || options[key] === '') {
      throw new TypeError(`publisher({ ${key} }) must be a non-empty string; got ${String(options[key])}.`)
    }
  }
  const { maxAttempts, retryBaseMs } = options
  if (maxAttempts !== undefined && !(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new RangeError(`publisher({ maxAttempts }) must be a whole number from 1; got ${String(maxAttempts)}.`)
  }
  if (retryBaseMs !== undefined && !(Number.isFinite(retryBaseMs) && retryBaseMs >= 0)) {
    throw new RangeError(`publisher({ retryBaseMs }) must be a number of ms from 0; got ${String(retryBaseMs)}.`)
  }
}

function serialize(detailType: string, details: readonly unknown[]): string[] {
  return details.map((detail, index) => {
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      throw new TypeError(
        `publish("${detailType}"): detail #${index} must be a JSON object (EventBridge takes no other detail); got ${Array.isArray(detail) ? 'an array' : String(detail)}.`,
      )
    }
    return JSON.stringify(detail)
  })
}

/** Waits `ms`, or less if `signal` aborts (then rejects with its reason). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted()
  if (ms <= 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

interface Pending {
  index: number
  entry: PutEventsRequestEntry
  size: number
}

/**
 * A typed PutEvents publisher for one bus and source:
 * `publisher<{ 'Order Placed': OrderPlaced }>({ eventBusName, source }).publish('Order Placed', order)`.
 */
export function publisher<Events extends DetailMap = Record<string, Record<string, unknown>>>(
  options: PublisherOptions,
): Publisher<Events> {
  checkOptions(options)
  const { eventBusName, source, maxAttempts = 3, retryBaseMs = 100 } = options
  let client: Promise<EventBridgeClient> | undefined = options.client && Promise.resolve(options.client)
  const clientOf = () => {
    client ??= loadSdk().then(({ EventBridgeClient }) => new EventBridgeClient({}))
    return client
  }

  async function publish(detailType: string, detail: object | readonly object[], publishOptions: PublishOptions = {}) {
    if (typeof detailType !== 'string' || detailType === '') {
      throw new TypeError(
        `publish(detailType, detail): detailType must be a non-empty string; got ${String(detailType)}.`,
      )
    }
    const { resources, time, signal } = publishOptions
    const details = serialize(detailType, Array.isArray(detail) ? detail : [detail])
    const pending: Pending[] = details.map((Detail, index) => {
      const entry: PutEventsRequestEntry = {
        EventBusName: eventBusName,
        Source: source,
        DetailType: detailType,
        Detail,
        ...(resources && { Resources: resources }),
        ...(time && { Time: time }),
      }
      const size = entrySize(entry)
      if (size > maxRequestBytes) {
        throw new RangeError(
          `publish("${detailType}"): detail #${index} makes an entry of ${size} bytes, over PutEvents' ${maxRequestBytes}-byte limit; store the payload elsewhere (S3) and publish a reference to it.`,
        )
      }
      return { index, entry, size }
    })
    const eventIds: (string | undefined)[] = details.map(() => undefined)
    const failures: PublishFailure[] = []
    let cause: unknown
    const [{ PutEventsCommand }, eventBridge] = await Promise.all([loadSdk(), clientOf()])

    const sendBatch = async (batch: Pending[], attempt: number): Promise<Pending[]> => {
      let results: PutEventsResultEntry[]
      try {
        const answer = await eventBridge.send(
          new PutEventsCommand({ Entries: batch.map((item) => item.entry) }),
          signal && { abortSignal: signal },
        )
        results = answer.Entries ?? []
      } catch (error) {
        // The whole call failed after the SDK's own retries: none of its entries is known to be published.
        cause ??= error
        const { name = 'Error', message = String(error) } = error as Partial<Error>
        for (const item of batch) {
          failures.push({ index: item.index, detailType, errorCode: name, errorMessage: message, attempts: attempt })
        }
        return []
      }
      const retry: Pending[] = []
      batch.forEach((item, position) => {
        const result = results[position]
        if (result?.EventId !== undefined && result.ErrorCode === undefined) {
          eventIds[item.index] = result.EventId
          return
        }
        const errorCode = result?.ErrorCode ?? 'MissingResult'
        if (retryableCodes.has(errorCode) && attempt < maxAttempts) {
          retry.push(item)
          return
        }
        const errorMessage = result?.ErrorMessage ?? 'PutEvents answered without a result for this entry'
        failures.push({ index: item.index, detailType, errorCode, errorMessage, attempts: attempt })
      })
      return retry
    }

    let toSend = pending
    for (let attempt = 1; toSend.length > 0; attempt++) {
      if (attempt > 1) await pause(Math.random() * retryBaseMs * 2 ** (attempt - 2), signal)
      const batches = toBatches(toSend, (item) => item.size)
      const retries = await Promise.all(batches.map((batch) => sendBatch(batch, attempt)))
      toSend = retries.flat().sort((a, b) => a.index - b.index)
    }
    if (failures.length > 0) {
      throw new PublishError(
        failures.sort((a, b) => a.index - b.index),
        eventIds,
        cause,
      )
    }
    return { eventIds: eventIds as string[] }
  }

  return { publish: publish as Publisher<Events>['publish'] }
}
