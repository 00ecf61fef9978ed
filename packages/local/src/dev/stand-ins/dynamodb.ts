// DynamoDB: dynalite (the DynamoDB API on an in-memory store) on 127.0.0.1, with the template's
// tables created from their KeySchema, AttributeDefinitions and indexes before any function runs.
import type { Server } from 'node:http'
import { devError } from '../errors.js'
import type { TableSpec } from '../resources.js'
import { optionalPackage } from './optional-package.js'
import { listenLocally, type StandIn } from './shared.js'

type Dynalite = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server

/** dynalite reads no signature, but wants the shape of one. */
const signedHeaders = () => ({
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d+/g, ''),
  authorization:
    'AWS4-HMAC-SHA256 Credential=lamina-local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
})

async function call(endpoint: string, operation: string, input: unknown) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { ...signedHeaders(), 'x-amz-target': `DynamoDB_20120810.${operation}` },
    body: JSON.stringify(input),
  })
  const body = (await response.json()) as Record<string, unknown>
  return { ok: response.ok, body }
}

const maxStatusChecks = 1_000

async function createTable(endpoint: string, table: TableSpec) {
  const created = await call(endpoint, 'CreateTable', table.definition)
  if (!created.ok) {
    throw devError(
      `table ${table.id}: the DynamoDB stand-in refused it (${String(created.body.message ?? created.body.__type)})`,
      'fix its KeySchema, AttributeDefinitions or indexes in template.yaml',
    )
  }
  // Created with createTableMs 0: ACTIVE after a turn of the event loop, not after a duration.
  for (let check = 0; check < maxStatusChecks; check++) {
    const { body } = await call(endpoint, 'DescribeTable', { TableName: table.name })
    if ((body.Table as { TableStatus?: string } | undefined)?.TableStatus === 'ACTIVE') return
    await new Promise((resolve) => setImmediate(resolve))
  }
}

export async function startDynamoDb(dir: string, tables: TableSpec[]): Promise<StandIn> {
  const dynalite = optionalPackage<Dynalite>('dynalite', dir, `the DynamoDB table ${tables[0]?.id}`)
  const { endpoint, close } = await listenLocally(dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }))
  try {
    for (const table of tables) await createTable(endpoint, table)
  } catch (error) {
    await close()
    throw error
  }
  return {
    env: { AWS_ENDPOINT_URL_DYNAMODB: endpoint },
    description: `DynamoDB on ${endpoint} (dynalite), tables ${tables.map((table) => table.name).join(', ')}`,
    close,
  }
}
