// EventBridge: a PutEvents endpoint on 127.0.0.1 (JSON 1.1, `AWSEvents.PutEvents`, answered as
// EventBridge answers: an EventId per entry, FailedEntryCount) that hands each entry, as the event a
// rule's target receives, to every function whose EventBridgeRule names that bus and whose Pattern
// matches. PutEvents answers once those functions have run, so a request that publishes has been
// fully handled when its answer arrives (EventBridge itself delivers asynchronously); a function
// is never waited for by its own PutEvents call, which would wait on itself.
import { randomUUID } from 'node:crypto'
import { devError } from '../errors.js'
import { localAccount, localRegion } from '../resources.js'
import type { EventRuleSpec, FunctionSpec } from '../template.js'
import { matchesPattern, supportedOperators, unsupportedInPattern } from './event-pattern.js'
import { awsError, jsonOperationServer, listenLocally, type StandIn } from './shared.js'

export interface EventBridgeEvent {
  version: '0'
  id: string
  'detail-type': string
  source: string
  account: string
  time: string
  region: string
  resources: string[]
  detail: unknown
}

/** Runs `fn` with `event` for `rule`; resolves when it has run. */
export type DeliverEvent = (fn: FunctionSpec, rule: EventRuleSpec, event: EventBridgeEvent) => Promise<unknown>

interface PutEventsEntry {
  Source?: string
  DetailType?: string
  Detail?: string
  EventBusName?: string
  Resources?: string[]
  Time?: number | string
}

export interface EventBridgeStandIn extends StandIn {
  /** The variables for one function: its own path on the endpoint, so its calls are known as its own. */
  envFor(fnId: string): Record<string, string>
}

/** Refuses, at startup, a rule whose pattern uses what the local matcher does not know. */
export function checkRules(functions: FunctionSpec[]) {
  for (const fn of functions) {
    for (const rule of fn.rules ?? []) {
      const problem = unsupportedInPattern(rule.pattern)
      if (problem) {
        throw devError(
          `function ${fn.id}: the Pattern of rule ${rule.name} uses ${problem}, which lamina dev does not match`,
          `write it with ${supportedOperators}, or try this rule on AWS`,
        )
      }
    }
  }
}

const busOf = (name: string | undefined) =>
  !name ? 'default' : name.includes(':event-bus/') ? (name.split(':event-bus/').pop() as string) : name

const eventTime = (time: PutEventsEntry['Time']) => {
  const date = time === undefined ? new Date() : new Date(typeof time === 'number' ? time * 1000 : time)
  return (Number.isNaN(date.getTime()) ? new Date() : date).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function toEvent(entry: PutEventsEntry): EventBridgeEvent | { ErrorCode: string; ErrorMessage: string } {
  if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameters Source, DetailType and Detail are required.' }
  }
  let detail: unknown
  try {
    detail = JSON.parse(entry.Detail)
  } catch {
    detail = undefined
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }
  }
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: localAccount,
    time: eventTime(entry.Time),
    region: localRegion,
    resources: Array.isArray(entry.Resources) ? entry.Resources : [],
    detail,
  }
}

export async function startEventBridge(
  functions: () => FunctionSpec[],
  declaredBuses: string[],
  deliver: DeliverEvent,
  note: (line: string) => void,
): Promise<EventBridgeStandIn> {
  checkRules(functions())
  const server = jsonOperationServer('AWSEvents.PutEvents', async (body, send, url) => {
    let entries: PutEventsEntry[]
    try {
      entries = (JSON.parse(body) as { Entries: PutEventsEntry[] }).Entries
    } catch {
      return send(400, awsError('SerializationException', 'The body is not JSON.'))
    }
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
      return send(400, awsError('ValidationException', 'Entries must hold 1 to 10 entries.'))
    }
    const caller = /^\/from\/([^/]+)/.exec(url)?.[1]
    const waits: Promise<unknown>[] = []
    const answers = entries.map((entry) => {
      const event = toEvent(entry)
      if (!('id' in event)) return event
      const bus = busOf(entry.EventBusName)
      const targets = functions().flatMap((fn) =>
        (fn.rules ?? [])
          .filter((rule) => rule.bus === bus && matchesPattern(rule.pattern, event))
          .map((rule) => ({ fn, rule })),
      )
      if (targets.length === 0) note(`EventBridge ${event.source} ${event['detail-type']} on ${bus}: no rule matches`)
      for (const { fn, rule } of targets) {
        const delivery = deliver(fn, rule, event)
        if (fn.id !== caller) waits.push(delivery)
      }
      return { EventId: event.id }
    })
    await Promise.allSettled(waits)
    const FailedEntryCount = answers.filter((answer) => 'ErrorCode' in answer).length
    send(200, JSON.stringify({ FailedEntryCount, Entries: answers }))
  })
  const { endpoint, close } = await listenLocally(server)
  const buses = [
    ...new Set([...declaredBuses, ...functions().flatMap((fn) => (fn.rules ?? []).map((rule) => rule.bus))]),
  ]
  return {
    env: { AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint },
    envFor: (fnId) => ({ AWS_ENDPOINT_URL_EVENTBRIDGE: `${endpoint}/from/${encodeURIComponent(fnId)}` }),
    description: `EventBridge on ${endpoint} (PutEvents), buses ${buses.join(', ')}`,
    close,
  }
}
