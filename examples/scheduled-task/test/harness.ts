// What the tests share: dynalite with the usage table, the real DynamoDB client pointed at it,
// a simulated clock that each DynamoDB call advances (so "this call took 800 ms" needs no real
// waiting), contexts whose deadline reads that clock, and a way to make a run crash after its
// n-th call, as a process killed half-way would.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { type CapturedOutput, captureOutput, createContext } from '@lamina/testing'
import type { Context } from 'aws-lambda'
import { afterAll, beforeAll } from 'vitest'
import { type Dynalite, startDynalite } from '../../../test/support/dynalite.js'
import { type PowertoolsEnvironment, startPowertoolsEnvironment } from '../../../test/support/powertools.js'
import { createRollupHandler, type RollupOptions } from '../src/rollup-handler.js'
import { type NewUsageRecord, usageKey, writeUsageRecords } from '../src/seed.js'
import { jobKey, totalsPartition } from '../src/store.js'

export const fiveMinutes = 5 * 60_000

export class SimulatedClock {
  #now = Date.UTC(2026, 10, 27, 18, 0, 0)
  now = () => this.#now
  advance(ms: number) {
    this.#now += ms
  }
}

/**
 * A Lambda context whose deadline is `budgetMs` after now on `clock`. (The timeout guard arms a
 * real timer from the remaining time it reads once; the tests keep budgets of seconds, far above
 * what a run really takes, so it is never the guard that stops a run here.)
 */
export function contextWithDeadline(clock: SimulatedClock, budgetMs: number): Context {
  const deadline = clock.now() + budgetMs
  return {
    ...createContext({ timeoutMs: budgetMs }),
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock.now()),
  }
}

/** One DynamoDB call as it went over the wire: its operation, its (marshalled) input, whether it succeeded. */
export interface Call {
  operation: string
  input: Record<string, any>
  ok: boolean
}

export class CrashedError extends Error {
  override name = 'SimulatedCrash'
}

/**
 * Controls what each call the function makes costs and whether it fails, and records the calls.
 * `crashAfter(n)`: the n-th call from now reaches DynamoDB and succeeds there, but the function
 * never hears back, and no later call gets out: a process that died between two writes.
 */
export class CallControl {
  readonly calls: Call[] = []
  costs: number[] = [0]
  #sent = 0
  #crashAt: number | undefined
  #holds: { matches: (call: Omit<Call, 'ok'>) => boolean; reached: () => void; gate: Promise<void> }[] = []
  constructor(private readonly clock: SimulatedClock) {}

  /**
   * Holds the first call `matches` accepts before it is sent, until `release()`; `reached`
   * resolves once that call is waiting. How a test makes two runs overlap at a chosen point.
   */
  hold(matches: (call: Omit<Call, 'ok'>) => boolean): { reached: Promise<void>; release: () => void } {
    let reached = () => {}
    let release = () => {}
    const arrived = new Promise<void>((resolve) => {
      reached = resolve
    })
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    this.#holds.push({ matches, reached, gate })
    return { reached: arrived, release }
  }

  crashAfter(calls: number | undefined) {
    this.#crashAt = calls === undefined ? undefined : this.#sent + calls
  }
  recover() {
    this.#crashAt = undefined
  }

  attach(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName).replace(/Command$/, '')
        const input = args.input as Record<string, any>
        const held = this.#holds.findIndex((hold) => hold.matches({ operation, input }))
        if (held >= 0) {
          const [hold] = this.#holds.splice(held, 1)
          hold?.reached()
          await hold?.gate
        }
        const index = this.#sent++
        if (this.#crashAt !== undefined && index > this.#crashAt) throw new CrashedError('the process is gone')
        this.clock.advance(this.costs[index % this.costs.length] as number)
        try {
          const result = await next(args)
          this.calls.push({ operation, input, ok: true })
          if (index === this.#crashAt) throw new CrashedError('the process died after this call')
          return result
        } catch (error) {
          if (!(error instanceof CrashedError)) this.calls.push({ operation, input, ok: false })
          throw error
        }
      },
      { step: 'build', name: 'simulatedCallControl' },
    )
  }

  /** The records whose effect (the account total's update) succeeded, in the order they did. */
  applied(): string[] {
    return this.calls
      .filter((call) => call.ok && call.operation === 'UpdateItem' && call.input.Key?.pk?.S === totalsPartition)
      .map((call) => call.input.ExpressionAttributeValues[':key'].S as string)
  }
}

export interface Harness {
  dynalite: Dynalite
  /** A fresh table per test case: the name. */
  newTable(): Promise<string>
  /** A document client on dynalite, for the test's own reads and writes. */
  db: DynamoDBDocumentClient
  /** A document client on dynalite whose calls `control` prices, fails and records. */
  controlled(control: CallControl): DynamoDBDocumentClient
  stop(): Promise<void>
}

let tables = 0

export async function startHarness(): Promise<Harness> {
  const dynalite = await startDynalite()
  const admin = dynalite.client()
  const documentClient = (client: DynamoDBClient) =>
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } })
  return {
    dynalite,
    db: documentClient(admin),
    async newTable() {
      const name = `usage-${++tables}`
      await dynalite.createTable({ name, partitionKey: 'pk', sortKey: 'sk' }) // as template.yaml declares it
      return name
    },
    controlled(control) {
      const client = dynalite.client()
      control.attach(client)
      return documentClient(client)
    },
    stop: () => dynalite.stop(),
  }
}

/** `count` records over a few accounts, with keys in time order; `units` picks each one's units. */
export function backlog(units: number[], accounts = 4, start = Date.UTC(2026, 10, 27, 17, 0, 0)): NewUsageRecord[] {
  return units.map((value, index) => ({
    at: new Date(start + Math.floor(index / 3) * 1000), // three records a second: keys tie on time, differ by id
    id: `r${String(index).padStart(4, '0')}`,
    account: `acct-${index % accounts}`,
    units: value,
  }))
}

export const keysOf = (records: NewUsageRecord[]) => records.map((record) => usageKey(record.at, record.id)).sort()

export async function writeBacklog(db: DynamoDBDocumentClient, table: string, records: NewUsageRecord[]) {
  await writeUsageRecords(db, table, records)
}

/** Each account's total, as the table holds it. */
export async function totals(db: DynamoDBDocumentClient, table: string) {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': totalsPartition },
      ConsistentRead: true,
    }),
  )
  return Object.fromEntries(Items.map((item) => [item.sk as string, { units: item.units, records: item.records }]))
}

/** What the totals must be: each record counted once. */
export function expectedTotals(records: NewUsageRecord[]) {
  const sums: Record<string, { units: number; records: number }> = {}
  for (const { account, units } of records) {
    const sum = sums[account] ?? { units: 0, records: 0 }
    sums[account] = { units: sum.units + units, records: sum.records + 1 }
  }
  return sums
}

/** The job's state item: checkpoint, processed count and lease. */
export async function jobState(db: DynamoDBDocumentClient, table: string) {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: jobKey, ConsistentRead: true }))
  return Item
}

/**
 * For one test file: dynalite, the Lambda environment Powertools reads (with a stand-in X-Ray
 * daemon, the template's service name and namespace), and stdout and stderr captured, so the
 * tests can parse the lines and metric documents Powertools really writes.
 */
export function useStandIns(): { readonly harness: Harness; readonly output: CapturedOutput } {
  let harness: Harness | undefined
  let output: CapturedOutput | undefined
  let powertools: PowertoolsEnvironment | undefined
  beforeAll(async () => {
    powertools = await startPowertoolsEnvironment({
      POWERTOOLS_SERVICE_NAME: 'usage-rollup',
      POWERTOOLS_METRICS_NAMESPACE: 'lamina-examples',
    })
    output = captureOutput()
    harness = await startHarness()
  })
  afterAll(async () => {
    output?.restore()
    powertools?.stop()
    await harness?.stop()
  })
  return {
    get harness() {
      return harness as Harness
    },
    get output() {
      return output as CapturedOutput
    },
  }
}

/**
 * A fresh table holding a backlog (one record per entry of `units`), a simulated clock, and
 * `instance()`: the function, as one more container would run it, on that table and clock, with
 * its own `CallControl`.
 */
export async function scenario(
  harness: Harness,
  units: number[],
  options: Omit<RollupOptions, 'tableName' | 'client' | 'now'> = {},
) {
  const table = await harness.newTable()
  const records = backlog(units)
  await writeBacklog(harness.db, table, records)
  const clock = new SimulatedClock()
  const instance = () => {
    const control = new CallControl(clock)
    const db = harness.controlled(control)
    const handler = createRollupHandler({ tableName: table, client: () => db, now: clock.now, ...options })
    return { control, handler }
  }
  return { table, records, keys: keysOf(records), clock, instance }
}
