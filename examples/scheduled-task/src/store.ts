// The job's DynamoDB operations, on one table with three kinds of item:
//   pk "usage", sk <record key>   the backlog: usage records, keys in the order they were written
//   pk "total", sk <account>      the effect: each account's roll-up, and the last record applied to it
//   pk "job",   sk "usage-rollup" the job's state: the checkpoint and the lease, one item
// Attribute names go through ExpressionAttributeNames: several (processed, records, units...)
// are DynamoDB reserved words. Every write that matters is conditional, so a run that lost its lease, a retried call or a run
// that crashed half-way can neither apply a record twice nor move the checkpoint past one it skipped.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'

export const backlogPartition = 'usage'
export const totalsPartition = 'total'
export const jobKey = { pk: 'job', sk: 'usage-rollup' } as const

export interface UsageRecord {
  /** The record's sort key: later records sort after earlier ones. */
  key: string
  account: string
  units: number
}

export interface Checkpoint {
  /** The last record whose effect is committed; undefined before the first. */
  lastKey: string | undefined
  /** Records processed by every run so far. */
  processed: number
}

export type LeaseAttempt =
  | { acquired: true; checkpoint: Checkpoint }
  | { acquired: false; heldBy: string | undefined; expiresAt: number | undefined }

export interface UsageStore {
  /** Takes the lease unless another run holds one that has not expired; returns the checkpoint with it. */
  acquireLease(owner: string, now: number, expiresAt: number): Promise<LeaseAttempt>
  /** Up to `limit` records after `lastKey`, in key order. */
  pending(lastKey: string | undefined, limit: number): Promise<UsageRecord[]>
  /** Adds the record to its account's total, once: `false` when it was applied before. */
  apply(record: UsageRecord): Promise<boolean>
  /** Moves the checkpoint from `from` to `to`: `false` when this run no longer holds the lease. */
  advance(owner: string, from: string | undefined, to: string, now: number): Promise<boolean>
  /** Gives the lease up, if this run still holds it. */
  releaseLease(owner: string): Promise<void>
}

const conditionFailed = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException'

/** `true` when the write happened, `false` when its condition did not hold; other errors are thrown. */
async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write
    return true
  } catch (error) {
    if (conditionFailed(error)) return false
    throw error
  }
}

const isUsageRecord = (item: Record<string, unknown>): boolean =>
  typeof item.sk === 'string' && typeof item.account === 'string' && typeof item.units === 'number'

/** The store on `tableName`; every call stops when `signal` aborts (the invocation's deadline). */
export function usageStore(db: DynamoDBDocumentClient, tableName: string, signal?: AbortSignal): UsageStore {
  const options = signal ? { abortSignal: signal } : {}
  return {
    async acquireLease(owner, now, expiresAt) {
      try {
        const { Attributes = {} } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: jobKey,
            UpdateExpression: 'SET #owner = :owner, #expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(#expiresAt) OR #expiresAt < :now',
            ExpressionAttributeNames: { '#owner': 'leaseOwner', '#expiresAt': 'leaseExpiresAt' },
            ExpressionAttributeValues: { ':owner': owner, ':expiresAt': expiresAt, ':now': now },
            ReturnValues: 'ALL_NEW',
          }),
          options,
        )
        const lastKey = typeof Attributes.checkpoint === 'string' ? Attributes.checkpoint : undefined
        const processed = typeof Attributes.processed === 'number' ? Attributes.processed : 0
        return { acquired: true, checkpoint: { lastKey, processed } }
      } catch (error) {
        if (!conditionFailed(error)) throw error
        // Only to say who holds it, in the run's log line.
        const { Item = {} } = await db.send(new GetCommand({ TableName: tableName, Key: jobKey }), options)
        return {
          acquired: false,
          heldBy: typeof Item.leaseOwner === 'string' ? Item.leaseOwner : undefined,
          expiresAt: typeof Item.leaseExpiresAt === 'number' ? Item.leaseExpiresAt : undefined,
        }
      }
    },

    async pending(lastKey, limit) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: lastKey === undefined ? 'pk = :pk' : 'pk = :pk AND sk > :after',
          ExpressionAttributeValues: {
            ':pk': backlogPartition,
            ...(lastKey === undefined ? {} : { ':after': lastKey }),
          },
          // A strongly consistent read: an eventually consistent one could miss a record written
          // just before a later one it does return, and the checkpoint would then pass it.
          ConsistentRead: true,
          Limit: limit,
        }),
        options,
      )
      return Items.filter(isUsageRecord).map((item) => ({
        key: item.sk as string,
        account: item.account as string,
        units: item.units as number,
      }))
    },

    apply(record) {
      // Records are applied in key order, so "this account's last applied record sorts before
      // this one" is exactly "this record was not applied yet": the effect is idempotent.
      return conditional(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: totalsPartition, sk: record.account },
            UpdateExpression: 'ADD #units :units, #records :one SET #last = :key',
            ConditionExpression: 'attribute_not_exists(#last) OR #last < :key',
            ExpressionAttributeNames: { '#units': 'units', '#records': 'records', '#last': 'lastUsageKey' },
            ExpressionAttributeValues: { ':units': record.units, ':one': 1, ':key': record.key },
          }),
          options,
        ),
      )
    },

    advance(owner, from, to, now) {
      return conditional(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: jobKey,
            UpdateExpression: 'SET #checkpoint = :to, #updatedAt = :now ADD #processed :one',
            ConditionExpression: `#owner = :owner AND ${from === undefined ? 'attribute_not_exists(#checkpoint)' : '#checkpoint = :from'}`,
            ExpressionAttributeNames: {
              '#checkpoint': 'checkpoint',
              '#updatedAt': 'updatedAt',
              '#processed': 'processed',
              '#owner': 'leaseOwner',
            },
            ExpressionAttributeValues: {
              ':owner': owner,
              ':to': to,
              ':now': now,
              ':one': 1,
              ...(from === undefined ? {} : { ':from': from }),
            },
          }),
          options,
        ),
      )
    },

    async releaseLease(owner) {
      // Not bound to the invocation's signal: after the deadline's abort there may still be time
      // to hand the lease back, and if not, it expires at this run's deadline anyway.
      await conditional(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: jobKey,
            UpdateExpression: 'REMOVE #owner, #expiresAt',
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'leaseOwner', '#expiresAt': 'leaseExpiresAt' },
            ExpressionAttributeValues: { ':owner': owner },
          }),
        ),
      )
    },
  }
}
