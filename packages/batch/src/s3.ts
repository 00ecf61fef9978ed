import type { StandardSchemaV1 } from '@standard-schema/spec'

/** One object an S3 event is about, however it arrived. */
export interface S3ObjectEvent {
  /** An S3 event notification (to Lambda, or in an SQS or SNS message), or S3's EventBridge event. */
  via: 'notification' | 'eventbridge'
  /** `ObjectCreated:Put`, `ObjectRemoved:Delete`, … (notification) or `Object Created`, … (EventBridge). */
  eventName: string
  eventTime: string
  region: string
  bucket: string
  /** The object key, decoded: what `GetObject` takes. */
  key: string
  /** The key as the event carried it: URL-encoded, a space as `+`. */
  rawKey: string
  /** Absent for deletions. */
  size: number | undefined
  eTag: string | undefined
  versionId: string | undefined
  /** Orders events for one key: a greater hex value is a later event. */
  sequencer: string | undefined
}

type Found = { ok: true; value: S3ObjectEvent[] } | { ok: false; message: string; path: (string | number)[] }

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

/** S3 URL-encodes keys in its events, with `+` for a space. */
function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '))
  } catch {
    // Not valid percent-encoding: the key holds a literal `%`.
    return raw.replace(/\+/g, ' ')
  }
}

function fromNotification(records: unknown[]): Found {
  const objects: S3ObjectEvent[] = []
  for (const [index, record] of records.entries()) {
    const s3 = isObject(record) && isObject(record.s3) ? record.s3 : undefined
    const bucket = isObject(s3?.bucket) ? text(s3.bucket.name) : undefined
    const object = isObject(s3?.object) ? s3.object : undefined
    const rawKey = text(object?.key)
    if (!isObject(record) || record.eventSource !== 'aws:s3' || bucket === undefined || rawKey === undefined) {
      return {
        ok: false,
        message: 'Expected an S3 event record with s3.bucket.name and s3.object.key.',
        path: ['Records', index],
      }
    }
    objects.push({
      via: 'notification',
      eventName: text(record.eventName) ?? '',
      eventTime: text(record.eventTime) ?? '',
      region: text(record.awsRegion) ?? '',
      bucket,
      key: decodeKey(rawKey),
      rawKey,
      size: count(object?.size),
      eTag: text(object?.eTag),
      versionId: text(object?.versionId),
      sequencer: text(object?.sequencer),
    })
  }
  return { ok: true, value: objects }
}

function fromEventBridge(event: Record<string, unknown>): Found {
  const detail = isObject(event.detail) ? event.detail : {}
  const bucket = isObject(detail.bucket) ? text(detail.bucket.name) : undefined
  const object = isObject(detail.object) ? detail.object : {}
  const rawKey = text(object.key)
  if (bucket === undefined || rawKey === undefined) {
    return {
      ok: false,
      message: 'Expected an S3 EventBridge event with detail.bucket.name and detail.object.key.',
      path: ['detail'],
    }
  }
  return {
    ok: true,
    value: [
      {
        via: 'eventbridge',
        eventName: text(event['detail-type']) ?? '',
        eventTime: text(event.time) ?? '',
        region: text(event.region) ?? '',
        bucket,
        key: decodeKey(rawKey),
        rawKey,
        size: count(object.size),
        eTag: text(object.etag),
        versionId: text(object['version-id']),
        sequencer: text(object.sequencer),
      },
    ],
  }
}

function find(input: unknown): Found {
  let value = input
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      return { ok: false, message: 'Expected an S3 event as JSON text, but the text is not JSON.', path: [] }
    }
  }
  if (isObject(value)) {
    if (Array.isArray(value.Records)) return fromNotification(value.Records)
    if (value.source === 'aws.s3') return fromEventBridge(value)
    // S3 sends this once when a notification is configured: nothing to process.
    if (value.Event === 's3:TestEvent') return { ok: true, value: [] }
  }
  return {
    ok: false,
    message: 'Expected an S3 event notification ({ Records: [...] }), its JSON text, or an S3 EventBridge event.',
    path: [],
  }
}

/**
 * The objects an S3 event is about: a notification delivered to Lambda, one read from an SQS
 * body or SNS message (object or JSON text), or S3's EventBridge event. S3's test event gives `[]`.
 */
export function s3Objects(input: unknown): S3ObjectEvent[] {
  const found = find(input)
  if (found.ok) return found.value
  throw new TypeError(
    `s3Objects(): ${found.message} Pass the Lambda event, an SQS record's body, or an EventBridge event from S3.`,
  )
}

/**
 * The same as a Standard Schema, for `batch({ schema: s3Notification })` on an SQS queue that S3
 * (or EventBridge) writes to: each record's payload becomes its `S3ObjectEvent[]`.
 */
export const s3Notification: StandardSchemaV1<unknown, S3ObjectEvent[]> = {
  '~standard': {
    version: 1,
    vendor: 'lamina',
    validate(value) {
      const found = find(value)
      return found.ok ? { value: found.value } : { issues: [{ message: found.message, path: found.path }] }
    },
  },
}
