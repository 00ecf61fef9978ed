import type { Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo, Socket } from 'node:net'
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb'

/**
 * dynalite (the DynamoDB API on an in-memory LevelDB) on 127.0.0.1, on a free port, for tests that
 * drive the real `@aws-sdk/client-dynamodb` client (or anything built on it: Powertools
 * Idempotency, lib-dynamodb) against a real DynamoDB wire protocol. No Docker, no AWS account.
 */

/** A table to create: string keys, which is what most tests need. */
export interface TableSpec {
  /** Three characters or more: DynamoDB's rule, which dynalite enforces. */
  name: string
  /** The partition key's attribute name (a string attribute). */
  partitionKey: string
  /** The sort key's attribute name (a string attribute), for a composite key. */
  sortKey?: string
}

export interface Dynalite {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string
  /** What a DynamoDB client needs to talk to this server: endpoint, region, dummy credentials. */
  readonly clientConfig: DynamoDBClientConfig
  /** A new client on `clientConfig`; closed by `stop()`. */
  client(): DynamoDBClient
  /** Creates a table and resolves once it is ACTIVE (usable). */
  createTable(spec: TableSpec): Promise<void>
  /** Destroys the clients it made, closes every connection and stops the server; the data is gone. */
  stop(): Promise<void>
}

type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server

// dynalite ships CommonJS without types: load it through require, typed at this one place.
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory

const maxStatusChecks = 1_000

async function waitUntilActive(client: DynamoDBClient, name: string): Promise<void> {
  // dynalite keeps a new table CREATING until its timer (0 ms here) fires: a turn of the event
  // loop, not a duration, so each check waits for the next turn only.
  for (let check = 0; check < maxStatusChecks; check++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }))
    if (Table?.TableStatus === 'ACTIVE') return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error(`dynalite: table "${name}" did not become ACTIVE after ${maxStatusChecks} checks.`)
}

/** Starts dynalite on 127.0.0.1 (a free port) and creates `tables`. Call `stop()` when done. */
export async function startDynalite(tables: TableSpec[] = []): Promise<Dynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const endpoint = `http://127.0.0.1:${port}`
  const clientConfig: DynamoDBClientConfig = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'dynalite', secretAccessKey: 'dynalite' },
  }
  const clients: DynamoDBClient[] = []
  const client = () => {
    const made = new DynamoDBClient(clientConfig)
    clients.push(made)
    return made
  }
  const admin = client()

  const createTable = async ({ name, partitionKey, sortKey }: TableSpec) => {
    const keys: KeySchemaElement[] = [{ AttributeName: partitionKey, KeyType: 'HASH' }]
    const attributes: AttributeDefinition[] = [{ AttributeName: partitionKey, AttributeType: 'S' }]
    if (sortKey !== undefined) {
      keys.push({ AttributeName: sortKey, KeyType: 'RANGE' })
      attributes.push({ AttributeName: sortKey, AttributeType: 'S' })
    }
    await admin.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: keys,
        AttributeDefinitions: attributes,
        BillingMode: 'PAY_PER_REQUEST',
      }),
    )
    await waitUntilActive(admin, name)
  }

  for (const table of tables) await createTable(table)

  return {
    endpoint,
    clientConfig,
    client,
    createTable,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const made of clients) made.destroy()
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
