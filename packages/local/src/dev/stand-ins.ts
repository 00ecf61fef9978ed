// Local stand-ins for what an example's template declares, started with the dev server so nothing
// else has to run, each on 127.0.0.1 with a free port: Secrets Manager (secrets.local.json),
// DynamoDB (dynalite: its tables), S3 (s3rver: its buckets, their notifications to SQS-triggered
// functions) and EventBridge (PutEvents, delivered to the functions whose rules match). Each function
// gets the AWS_ENDPOINT_URL_<SERVICE> variables and placeholder credentials, so its real SDK clients
// reach them as they would reach AWS.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { LocalResources } from './resources.js'
import { startDynamoDb } from './stand-ins/dynamodb.js'
import { type DeliverEvent, type EventBridgeStandIn, startEventBridge } from './stand-ins/eventbridge.js'
import { type DeliverToQueue, type S3StandIn, startS3 } from './stand-ins/s3.js'
import { startSecretsManager } from './stand-ins/secrets-manager.js'
import type { StandIn } from './stand-ins/shared.js'
import type { FunctionSpec } from './template.js'

export interface StandIns {
  /** Variables the functions get so their clients reach the stand-ins. */
  env: Record<string, string>
  /** The variables for one function (env, with its own EventBridge path). */
  envFor(fnId: string): Record<string, string>
  /** One line per stand-in, for the startup banner. */
  descriptions: string[]
  /** The S3 stand-in, when the template has buckets. */
  s3?: S3StandIn
  close(): Promise<void>
}

export interface StandInOptions {
  resources?: LocalResources
  /** The template's functions now (they change when template.yaml does). */
  functions?: () => FunctionSpec[]
  /** S3 notifications: an SQS message for the functions consuming a queue. */
  deliverToQueue?: DeliverToQueue
  /** EventBridge: an event for a function whose rule matched. */
  deliverEvent?: DeliverEvent
  /** Lines for the terminal (events no rule matched). */
  print?: (line: string) => void
}

const placeholderCredentials = {
  // The stand-ins check no signature; the SDK only needs credentials to sign with.
  AWS_ACCESS_KEY_ID: 'lamina-local',
  AWS_SECRET_ACCESS_KEY: 'lamina-local',
  AWS_REGION: 'us-east-1',
}

export async function startStandIns(dir: string, options: StandInOptions = {}): Promise<StandIns> {
  const resources = options.resources ?? { tables: [], buckets: [], buses: [] }
  const functions = options.functions ?? (() => [])
  const started: StandIn[] = []
  let s3: S3StandIn | undefined
  let eventBridge: EventBridgeStandIn | undefined
  try {
    const secrets = join(dir, 'secrets.local.json')
    if (existsSync(secrets)) started.push(await startSecretsManager(secrets))
    if (resources.tables.length > 0) started.push(await startDynamoDb(dir, resources.tables))
    if (resources.buckets.length > 0) {
      s3 = await startS3(dir, resources.buckets, options.deliverToQueue ?? (async () => []))
      started.push(s3)
    }
    if (resources.buses.length > 0 || functions().some((fn) => (fn.rules ?? []).length > 0)) {
      eventBridge = await startEventBridge(
        functions,
        resources.buses,
        options.deliverEvent ?? (async () => undefined),
        options.print ?? (() => {}),
      )
      started.push(eventBridge)
    }
  } catch (error) {
    await Promise.all(started.map((standIn) => standIn.close()))
    throw error
  }
  const env =
    started.length === 0 ? {} : Object.assign({}, ...started.map((standIn) => standIn.env), placeholderCredentials)
  return {
    env,
    envFor: (fnId) => ({ ...env, ...eventBridge?.envFor(fnId) }),
    descriptions: started.map((standIn) => standIn.description),
    ...(s3 ? { s3 } : {}),
    close: async () => {
      await Promise.all(started.map((standIn) => standIn.close()))
    },
  }
}
