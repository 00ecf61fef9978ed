// The scheduled function's chain, built by a factory so tests can give it their own DynamoDB
// client and clock; src/rollup.ts builds the deployed one once, at module scope.
import { randomUUID } from 'node:crypto'
import { MetricUnit } from '@aws-lambda-powertools/metrics'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { clients } from '@lamina/connections'
import { wrap } from '@lamina/core'
import { scheduled } from '@lamina/events'
import { observability } from '@lamina/observability'
import { timeoutGuard } from '@lamina/timeout'
import type { ScheduledEvent } from 'aws-lambda'
import { type RunOutcome, runBacklog } from './run.js'
import { seedDemoBacklog } from './seed.js'
import { usageStore } from './store.js'

/** What the timeout guard keeps for logging and publishing metrics after it fires. */
export const guardMarginMs = 500

export interface RollupOptions {
  /** Default: `TABLE_NAME`. */
  tableName?: string
  /** The most one record can take (two writes, a query, retries). Default: `ITEM_BUDGET_MS`, else 1000. */
  itemBudgetMs?: number
  /** Write the demo backlog on the first run. Default: `SEED_DEMO_BACKLOG` is `true`. */
  seedDemoBacklog?: boolean
  /** Default: a DynamoDB document client from the environment (region, credentials, endpoint). */
  client?: () => DynamoDBDocumentClient
  /** Default: `Date.now`. */
  now?: () => number
}

function readOptions(options: RollupOptions) {
  const tableName = options.tableName ?? process.env.TABLE_NAME
  if (!tableName) {
    throw new Error(
      'TABLE_NAME is not set: set it to the usage table (template.yaml does: TABLE_NAME: !Ref UsageTable).',
    )
  }
  const itemBudgetMs = options.itemBudgetMs ?? Number(process.env.ITEM_BUDGET_MS ?? 1000)
  if (!Number.isFinite(itemBudgetMs) || itemBudgetMs < 0) {
    throw new Error(
      `ITEM_BUDGET_MS is "${process.env.ITEM_BUDGET_MS}": set it to the milliseconds one record can take, e.g. 1000.`,
    )
  }
  const seed = options.seedDemoBacklog ?? process.env.SEED_DEMO_BACKLOG === 'true'
  return { tableName, itemBudgetMs, seed }
}

const documentClient = () =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } })

const stopMessages: Record<RunOutcome['reason'], string> = {
  drained: 'usage roll-up stopped: backlog drained',
  deadline: 'usage roll-up stopped: deadline near, the next run continues after the checkpoint',
  'lease-held': 'usage roll-up skipped: another run holds the lease',
  'lease-lost': 'usage roll-up stopped: its lease was taken over, the run holding it continues',
}

export function createRollupHandler(options: RollupOptions = {}) {
  const { tableName, itemBudgetMs, seed } = readOptions(options)
  const now = options.now ?? Date.now
  return wrap<ScheduledEvent>()
    .use(timeoutGuard({ marginMs: guardMarginMs }))
    .use(observability())
    .use(scheduled())
    .use(clients({ db: options.client ?? documentClient }))
    .handler(async (_event, context, { signal }) => {
      const db = context.clients.db
      // Under the lease, so no run reads the backlog while another is still writing it.
      const writeDemoBacklog = async () => {
        const written = await seedDemoBacklog(db, tableName, now(), signal)
        if (written > 0) context.logger.info('demo backlog written', { records: written })
      }
      const outcome = await runBacklog({
        store: usageStore(db, tableName, signal),
        owner: randomUUID(),
        now,
        remainingMs: () => context.getRemainingTimeInMillis(),
        reserveMs: guardMarginMs + itemBudgetMs,
        ...(seed ? { prepare: writeDemoBacklog } : {}),
      })
      context.metrics.addMetric('ItemsProcessed', MetricUnit.Count, outcome.processed)
      context.metrics.addMetric('BacklogDrained', MetricUnit.Count, outcome.reason === 'drained' ? 1 : 0)
      // One line per run: where it stopped and why. Outliving a lease should not happen on Lambda: WARN.
      const level = outcome.reason === 'lease-lost' ? 'warn' : 'info'
      context.logger[level](stopMessages[outcome.reason], {
        ...outcome,
        remainingMs: context.getRemainingTimeInMillis(),
      })
      return outcome
    })
}
