// There is no SQS here, so this test plays its part by the rules SQS documents for a queue with a
// redrive policy: a message not deleted is received again (its ApproximateReceiveCount one
// higher), a partial batch response deletes every message it does not name, an error returns the
// whole batch, and a message received maxReceiveCount times moves to the dead-letter queue
// instead of being received again. What it proves is the function's part: the poison message is
// reported failed on every receive, so SQS does move it, and the good ones are processed once.
import { readFile } from 'node:fs/promises'
import { BatchFailureError } from '@lamina/batch'
import type { SQSRecord } from 'aws-lambda'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { parse } from 'yaml'
import { failedIds, objectCreated, orderLine, type Processing, sqsBatch, startProcessing } from './processing.js'

let processing: Processing
beforeAll(async () => {
  processing = await startProcessing()
})
afterAll(() => processing.stop())

// CloudFormation's short-form tags (!Ref, !GetAtt, !Sub) read as plain values: only numbers matter here.
const cloudFormationTags = ['!Ref', '!GetAtt', '!Sub'].map((tag) => ({ tag, resolve: (value: string) => value }))

async function maxReceiveCountOfTheQueue(): Promise<number> {
  const template = parse(await readFile(new URL('../template.yaml', import.meta.url), 'utf8'), {
    customTags: cloudFormationTags,
  })
  return template.Resources.OrderFilesQueue.Properties.RedrivePolicy.maxReceiveCount
}

interface Delivery {
  receiveCounts: Record<string, number>
  failed: string[]
}

/** Receives `records` from a simulated queue until none is left in it; returns every delivery and the dead letters. */
async function drain(records: SQSRecord[], maxReceiveCount: number) {
  const receives = new Map<string, number>()
  const deliveries: Delivery[] = []
  const deadLetters: string[] = []
  let queue = records
  while (queue.length > 0) {
    const batch: SQSRecord[] = []
    for (const record of queue) {
      const count = (receives.get(record.messageId) ?? 0) + 1
      // Received maxReceiveCount times already: SQS moves it instead of delivering it again.
      if (count > maxReceiveCount) deadLetters.push(record.messageId)
      else {
        receives.set(record.messageId, count)
        batch.push({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: String(count) } })
      }
    }
    if (batch.length === 0) break
    const failed = await processing.invoke({ Records: batch }).then(failedIds, (error: unknown) => {
      // The function threw (every record failed): Lambda returns the whole batch to the queue.
      if (!(error instanceof BatchFailureError)) throw error
      return batch.map((record) => record.messageId)
    })
    deliveries.push({
      receiveCounts: Object.fromEntries(batch.map((record) => [record.messageId, receives.get(record.messageId) ?? 0])),
      failed,
    })
    // Every message the answer does not name is deleted; the named ones stay, invisible until the
    // visibility timeout passes, then are received again.
    queue = batch.filter((record) => failed.includes(record.messageId))
  }
  return { deliveries, deadLetters }
}

test('a poison message is reported failed on each of its receives, then rests in the DLQ; the good ones are processed once', async () => {
  // Prepare
  const maxReceiveCount = await maxReceiveCountOfTheQueue()
  await processing.putObject('orders/day-1.jsonl', orderLine('o-1', 'lamina-mug', 1, 1200))
  await processing.putObject('orders/day-2.jsonl', orderLine('o-2', 'lamina-shirt', 2, 2500))
  await processing.putObject('orders/poison.jsonl', 'orderId,sku,quantity\no-3,lamina-mug,1\n') // CSV, not JSON Lines
  const event = sqsBatch([
    objectCreated('orders/day-1.jsonl'),
    objectCreated('orders/poison.jsonl'),
    objectCreated('orders/day-2.jsonl'),
  ])
  const [dayOne, poison, dayTwo] = event.Records.map((record) => record.messageId) as [string, string, string]

  // Act
  const { deliveries, deadLetters } = await drain(event.Records, maxReceiveCount)

  // Assess
  expect(maxReceiveCount).toBe(3)
  expect(deliveries).toEqual([
    { receiveCounts: { [dayOne]: 1, [poison]: 1, [dayTwo]: 1 }, failed: [poison] },
    { receiveCounts: { [poison]: 2 }, failed: [poison] },
    { receiveCounts: { [poison]: 3 }, failed: [poison] },
  ])
  expect(deadLetters).toEqual([poison])
  // Each good file was read and its summary written exactly once; the poison file read three times.
  const count = (request: string) => processing.requests.filter((seen) => seen === request).length
  expect(count('GET /inputbucket/orders/day-1.jsonl')).toBe(1)
  expect(count('PUT /outputbucket/summaries/orders/day-1.json')).toBe(1)
  expect(count('PUT /outputbucket/summaries/orders/day-2.json')).toBe(1)
  expect(count('GET /inputbucket/orders/poison.jsonl')).toBe(maxReceiveCount)
  expect(count('PUT /outputbucket/summaries/orders/poison.json')).toBe(0)
})
