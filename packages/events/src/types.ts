/**
 * The event EventBridge delivers to a Lambda target (a rule's match, or a scheduled rule). The
 * same fields as `EventBridgeEvent` in `@types/aws-lambda`, declared here so this package needs
 * no type package of yours; either is assignable to the other.
 */
export interface EventBridgeEvent<TDetailType extends string = string, TDetail = unknown> {
  version: string
  id: string
  'detail-type': TDetailType
  source: string
  account: string
  time: string
  region: string
  resources: string[]
  detail: TDetail
  /** Set on events an archive replays. */
  'replay-name'?: string
}

/** What a scheduled EventBridge rule (`rate(...)`, `cron(...)`) delivers: `detail` is always `{}`. */
export interface ScheduledRuleEvent extends EventBridgeEvent<'Scheduled Event', Record<string, never>> {
  source: 'aws.events'
}

/**
 * What EventBridge Scheduler tells about one invocation, when the schedule's input carries its
 * context attributes (see `schedulerInputTemplate`).
 */
export interface SchedulerContext {
  /** The schedule's ARN. */
  scheduleArn: string
  /** When the schedule was due (ISO 8601, e.g. `2026-03-22T18:59:00Z`), not when it ran. */
  scheduledTime: string
  /** A new id for each attempt: a retry of the same due time gets another one. */
  executionId: string
  /** 1 for the first attempt, 2 for the first retry, ... */
  attemptNumber: number
}
