// Creates the books table in a local DynamoDB exactly as template.yaml declares it (keys, index),
// so the tests prove the code and the template agree.
import { readFileSync } from 'node:fs'
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { parse } from 'yaml'

const templateFile = new URL('../../template.yaml', import.meta.url)

// CloudFormation's short-form tags, enough to read this template.
const customTags = ['Ref', 'GetAtt', 'Sub'].map((name) => ({
  tag: `!${name}`,
  resolve: (value: string) => ({ [name === 'Ref' ? 'Ref' : `Fn::${name}`]: value }),
}))

export function templateResources(): Record<string, { Type: string; Properties: Record<string, unknown> }> {
  return parse(readFileSync(templateFile, 'utf8'), { customTags }).Resources
}

/** Creates the template's `logicalId` table, named by its logical id (as `lamina dev` names it), and waits until it is ACTIVE. */
export async function createTemplateTable(client: DynamoDBClient, logicalId: string): Promise<string> {
  const resource = templateResources()[logicalId]
  if (resource?.Type !== 'AWS::DynamoDB::Table') throw new Error(`template.yaml has no table ${logicalId}`)
  const { KeySchema, AttributeDefinitions, LocalSecondaryIndexes, BillingMode } = resource.Properties
  await client.send(
    new CreateTableCommand({
      TableName: logicalId,
      KeySchema,
      AttributeDefinitions,
      LocalSecondaryIndexes,
      BillingMode,
    } as CreateTableCommandInput),
  )
  // dynalite makes a table ACTIVE on its next turn: wait for it by turns, not by the clock.
  for (let check = 0; check < 1000; check++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: logicalId }))
    if (Table?.TableStatus === 'ACTIVE') return logicalId
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error(`table ${logicalId} did not become ACTIVE`)
}
