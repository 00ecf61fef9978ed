// S3: s3rver (an S3-compatible server on the filesystem) on 127.0.0.1, with the template's buckets
// created. The SDK's S3 client sends path-style requests (`/<bucket>/<key>`) to an endpoint that is
// an IP address, so AWS_ENDPOINT_URL_S3 alone points it here: no forcePathStyle needed. An object
// created in a bucket whose NotificationConfiguration sends `s3:ObjectCreated:*` to a queue becomes
// an S3 event notification, delivered as an SQS message to the functions consuming that queue.
import { mkdtemp, rm } from 'node:fs/promises'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BucketSpec, QueueNotification } from '../resources.js'
import { optionalPackage } from './optional-package.js'
import type { StandIn } from './shared.js'

interface S3EventRecord {
  eventName: string
  s3: { configurationId: string; bucket: { name: string; arn: string }; object: { key: string } }
}

interface S3rver {
  run(): Promise<{ port: number }>
  close(): Promise<void>
  on(event: 'event', listener: (event: { Records: S3EventRecord[] }) => void): void
  httpServer: Server
}
type S3rverClass = new (options: Record<string, unknown>) => S3rver
interface Account {
  DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void }
}

/** Sends one S3 event notification to `queue`; resolves when the functions consuming it have run. */
export type DeliverToQueue = (queue: string, body: string, label: string) => Promise<unknown[]>

export interface S3StandIn extends StandIn {
  endpoint: string
  /** The deliveries the objects created at `bucket`/`key` caused, once they have run. */
  deliveredFor(bucket: string, key: string): Promise<unknown[]>
}

/** `s3:ObjectCreated:*` matches `ObjectCreated:Put`; the key filter's prefix and suffix apply. */
export const notifies = (notification: QueueNotification, eventName: string, key: string) =>
  (notification.event === `s3:${eventName}` ||
    (notification.event.endsWith(':*') && `s3:${eventName}`.startsWith(notification.event.slice(0, -1)))) &&
  key.startsWith(notification.prefix) &&
  key.endsWith(notification.suffix)

/** Keys in S3 notifications are URL-encoded, spaces as `+`, as S3 sends them. */
const encodeKey = (key: string) =>
  key
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%20/g, '+'))
    .join('/')

export async function startS3(dir: string, buckets: BucketSpec[], deliver: DeliverToQueue): Promise<S3StandIn> {
  const why = `the S3 bucket ${buckets[0]?.id}`
  const S3rverServer = optionalPackage<S3rverClass>('s3rver', dir, why)
  // s3rver checks that a request's access key exists (not its v4 signature): know the local one.
  optionalPackage<Account>('s3rver/lib/models/account', dir, why).DUMMY_ACCOUNT.createKeyPair(
    'lamina-local',
    'lamina-local',
  )
  const directory = await mkdtemp(join(tmpdir(), 'lamina-s3-'))
  const server = new S3rverServer({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    resetOnClose: true,
    configureBuckets: buckets.map((bucket) => ({ name: bucket.name })),
  })
  const pending: { bucket: string; key: string; delivery: Promise<unknown[]> }[] = []
  server.on('event', ({ Records }) => {
    for (const record of Records) {
      const name = record.s3.bucket.name
      const key = record.s3.object.key
      const bucket = buckets.find((candidate) => candidate.name === name)
      for (const notification of bucket?.notifications ?? []) {
        if (!notifies(notification, record.eventName, key)) continue
        const s3 = {
          ...record.s3,
          configurationId: notification.id,
          bucket: { ...record.s3.bucket, arn: `arn:aws:s3:::${name}` },
          object: { ...record.s3.object, key: encodeKey(key) },
        }
        const body = JSON.stringify({ Records: [{ ...record, eventVersion: '2.1', s3 }] })
        const delivery = deliver(notification.queue, body, `S3 ${name}/${key} → SQS ${notification.queue}`)
        pending.push({ bucket: name, key, delivery })
        // Objects a function writes are never asked about: keep the list short.
        if (pending.length > 1_000) pending.shift()
      }
    }
  })
  const { port } = await server.run()
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    env: { AWS_ENDPOINT_URL_S3: endpoint },
    description: `S3 on ${endpoint} (s3rver), buckets ${buckets.map((bucket) => bucket.name).join(', ')} (PUT /_lamina/s3/<bucket>/<key>)`,
    async deliveredFor(bucket, key) {
      const mine = pending.filter((entry) => entry.bucket === bucket && entry.key === key)
      for (const entry of mine) pending.splice(pending.indexOf(entry), 1)
      return (await Promise.all(mine.map((entry) => entry.delivery))).flat()
    },
    async close() {
      await Promise.allSettled(pending.map((entry) => entry.delivery))
      server.httpServer.closeAllConnections?.()
      await server.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}
