import { randomBytes } from 'node:crypto'

/** A fresh X-Ray trace id (`1-<epoch seconds, hex>-<24 hex digits>`), as each invocation gets. */
export function newTraceId(): string {
  return `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`
}

/** The `_X_AMZN_TRACE_ID` value Lambda sets for a sampled invocation of trace `traceId`. */
export function traceHeader(traceId: string = newTraceId()): string {
  return `Root=${traceId};Parent=53995c3f42cd8ad8;Sampled=1`
}
