// Writing usage records: what the producer side does (another function, an import), and the
// demo backlog a local run starts with.
import { BatchWriteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
import { backlogPartition, jobKey } from './store.js'

export interface NewUsageRecord {
  /** When the usage happened; the record's key starts with it, so the backlog is in time order. */
  at: Date
  /** Unique among records of the same millisecond (a request id, a sequence number). */
  id: string
  account: string
  units: number
}

/** A record's sort key: ISO 8601 time, then the id, so keys sort in the order the usage happened. */
export const usageKey = (at: Date, id: string) => `${at.toISOString()}#${id}`

const batchSize = 25 // BatchWriteItem's limit
const maxAttempts = 8

/** Writes records to the backlog, in batches of 25, sending again what DynamoDB left unprocessed. */
export async function writeUsageRecords(
  db: DynamoDBDocumentClient,
  tableName: string,
  records: NewUsageRecord[],
  signal?: AbortSignal,
): Promise<void> {
  for (let start = 0; start < records.length; start += batchSize) {
    let requests = records.slice(start, start + batchSize).map(({ at, id, account, units }) => ({
      PutRequest: { Item: { pk: backlogPartition, sk: usageKey(at, id), account, units } },
    }))
    for (let attempt = 1; requests.length > 0; attempt++) {
      if (attempt > maxAttempts) {
        throw new Error(
          `${requests.length} usage records were still unprocessed after ${maxAttempts} BatchWriteItem calls: the table is throttled; write them again later.`,
        )
      }
      const { UnprocessedItems } = await db.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
        signal ? { abortSignal: signal } : {},
      )
      requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests
    }
  }
}

export const demoBacklogSize = 500

/**
 * The demo backlog: `demoBacklogSize` records over eight accounts, written once per table (a
 * conditional marker item), so a local run has work to do. Returns how many records it wrote.
 */
export async function seedDemoBacklog(
  db: DynamoDBDocumentClient,
  tableName: string,
  now: number,
  signal?: AbortSignal,
): Promise<number> {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: jobKey.pk, sk: 'demo-seed', at: now },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
      signal ? { abortSignal: signal } : {},
    )
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException') return 0
    throw error
  }
  const records = Array.from({ length: demoBacklogSize }, (_, index) => ({
    at: new Date(now - (demoBacklogSize - index) * 1000),
    id: String(index).padStart(6, '0'),
    account: `acct-${(index * 7) % 8}`,
    units: ((index * 13) % 10) + 1,
  }))
  await writeUsageRecords(db, tableName, records, signal)
  return records.length
}
