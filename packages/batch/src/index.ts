export { batch } from './batch.js'
export { BatchFailureError, RecordDeadlineError, UnidentifiedRecordError } from './errors.js'
export type { BatchLogger } from './failure-log.js'
export type { DynamoDBChange, PayloadFormat } from './payload.js'
export type { S3ObjectEvent } from './s3.js'
export { s3Notification, s3Objects } from './s3.js'
export type { BatchEvent, BatchRecord, BatchSource } from './sources.js'
export type {
  BatchHandler,
  BatchOptions,
  BatchResponse,
  FifoOption,
  RawPayload,
  RecordMeta,
  RecordPayload,
} from './types.js'
