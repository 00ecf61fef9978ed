export type { SizedEntry } from './batches.js'
export { entrySize, maxEntriesPerCall, maxRequestBytes, toBatches } from './batches.js'
export type { EventBridgeFlow, EventBridgeOptions } from './event-bridge.js'
export { eventBridge, scheduled } from './event-bridge.js'
export type {
  DetailMap,
  Publisher,
  PublisherOptions,
  PublishFailure,
  PublishOptions,
  PublishResult,
} from './publisher.js'
export { PublishError, publisher } from './publisher.js'
export type { SchedulerInputFlow } from './scheduler.js'
export { schedulerContextAttributes, schedulerInput, schedulerInputTemplate, schedulerKey } from './scheduler.js'
export type { EventBridgeEvent, ScheduledRuleEvent, SchedulerContext } from './types.js'
