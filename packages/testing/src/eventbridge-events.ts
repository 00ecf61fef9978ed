import { randomUUID } from 'node:crypto'
import type { EventBridgeEvent, ScheduledEvent } from 'aws-lambda'

/** An EventBridge event with your detail type, source and detail. */
export function eventBridge<TDetailType extends string, TDetail>(
  detailType: TDetailType,
  detail: TDetail,
  source = 'lamina.test',
): EventBridgeEvent<TDetailType, TDetail> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail,
  }
}

/** The event an EventBridge schedule rule delivers. */
export function scheduled(rule = 'lamina-schedule'): ScheduledEvent {
  return {
    ...eventBridge('Scheduled Event', {}, 'aws.events'),
    resources: [`arn:aws:events:us-east-1:123456789012:rule/${rule}`],
  } as ScheduledEvent
}

/** The values EventBridge Scheduler fills in for its context attributes (all strings, as it writes them). */
export interface SchedulerAttributes {
  scheduleArn: string
  scheduledTime: string
  executionId: string
  attemptNumber: string
}

/**
 * What EventBridge Scheduler delivers for a schedule whose input carries its context attributes
 * under `scheduler` (as `schedulerInputTemplate` of @lamina/events writes it): your input, plus
 * the values Scheduler fills in. Without an input, Scheduler delivers exactly what you gave it.
 */
export function scheduler<TInput extends object>(
  input: TInput,
  attributes: Partial<SchedulerAttributes> = {},
): TInput & { scheduler: SchedulerAttributes } {
  const scheduledTime = new Date()
  scheduledTime.setUTCSeconds(0, 0)
  return {
    ...input,
    scheduler: {
      scheduleArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/lamina-schedule',
      scheduledTime: scheduledTime.toISOString().replace('.000Z', 'Z'),
      executionId: randomUUID().replaceAll('-', '').slice(0, 16),
      attemptNumber: '1',
      ...attributes,
    },
  }
}
