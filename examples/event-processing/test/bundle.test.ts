// What is deployed is the bundle `lamina build` writes, not these sources: build it from the
// template, run it once through the local runtime (its own Node process speaking Lambda's Runtime
// API) against s3rver, and print its size.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { buildFunctions, startLocalFunction } from '@lamina/local'
import { events, startXRayDaemon } from '@lamina/testing'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ensurePackagesBuilt, repoRoot } from '../../../test/support/built-packages.js'
import { type S3rverStandIn, startS3rver } from '../../../test/support/s3rver.js'
import { encodeKeyAsS3, inputBucket, objectCreated, orderLine, outputBucket } from './processing.js'

let s3rver: S3rverStandIn
let outdir: string
beforeAll(async () => {
  await ensurePackagesBuilt()
  s3rver = await startS3rver({ buckets: [inputBucket, outputBucket] })
  outdir = await mkdtemp(join(tmpdir(), 'lamina-event-processing-'))
}, 5 * 60_000)
afterAll(async () => {
  await s3rver.stop()
  await rm(outdir, { recursive: true, force: true })
})

test('the bundle built by lamina build summarises a new orders file and reports a malformed one, through the local runtime', async () => {
  // Prepare
  const [built, ...others] = await buildFunctions({ target: 'examples/event-processing', cwd: repoRoot, outdir })
  const s3 = s3rver.client()
  await s3.send(
    new PutObjectCommand({
      Bucket: inputBucket,
      Key: 'orders/store 7/2026-11-27.jsonl',
      Body: [orderLine('o-1', 'lamina-mug', 2, 1200), orderLine('o-2', 'lamina-shirt', 1, 2500)].join('\n'),
    }),
  )
  await s3.send(new PutObjectCommand({ Bucket: inputBucket, Key: 'orders/broken.jsonl', Body: 'not json' }))
  const event = events.sqs([objectCreated('orders/store 7/2026-11-27.jsonl'), objectCreated('orders/broken.jsonl')])
  const xray = await startXRayDaemon()
  const fn = await startLocalFunction({
    handler: built?.handler as string,
    cwd: dirname(built?.outfile as string),
    timeoutSeconds: 30,
    memoryMb: 512,
    env: { AWS_XRAY_DAEMON_ADDRESS: xray.address, ...s3rver.environment, OUTPUT_BUCKET: outputBucket },
  })
  try {
    // Act
    const result = await fn.invoke(event)
    // Assess
    const kb = (bytes = 0) => `${(bytes / 1024).toFixed(1)} KB`
    console.log(
      `event-processing: ${built?.name} ${kb(built?.bytes)} minified, ${kb(built?.gzipBytes)} min+gz, ${kb(built?.initBytes)} read at init`,
    )
    expect(others).toEqual([])
    expect(built).toMatchObject({ name: 'SummariseFunction', handler: 'handler.handler', duplicates: [] })
    expect(encodeKeyAsS3('orders/store 7/2026-11-27.jsonl')).toBe('orders/store+7/2026-11-27.jsonl')
    expect(result.error).toBeUndefined()
    expect(result.response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]?.messageId }] })
    const summary = await s3.send(
      new GetObjectCommand({ Bucket: outputBucket, Key: 'summaries/orders/store 7/2026-11-27.json' }),
    )
    expect(JSON.parse((await summary.Body?.transformToString()) ?? '')).toMatchObject({
      source: { bucket: inputBucket, key: 'orders/store 7/2026-11-27.jsonl' },
      orders: 2,
      revenueCents: 4900,
    })
  } finally {
    await fn.close()
    await xray.close()
  }
})
