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
