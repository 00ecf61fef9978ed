// The template's non-function resources as `lamina dev` stands them in locally: what `!Ref X` and
// `!GetAtt X.Arn` give (the names the stand-ins use), and the DynamoDB tables, S3 buckets and
// EventBridge buses to create before the first invocation.

type Node = Record<string, unknown>

export const localRegion = 'us-east-1'
export const localAccount = '123456789012'

export const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export interface TableSpec {
  /** The logical id: what `!Ref` of it gives, and the name it has in the DynamoDB stand-in. */
  id: string
  name: string
  /** CreateTable's input: KeySchema, AttributeDefinitions, indexes, billing. */
  definition: Node
}

export interface QueueNotification {
  /** `s3:ObjectCreated:*`, `s3:ObjectCreated:Put`. */
  event: string
  /** The queue's name, as a function's SQS event names it. */
  queue: string
  prefix: string
  suffix: string
  /** The configuration's Id, the records' `s3.configurationId`. */
  id: string
}

export interface BucketSpec {
  id: string
  /** The logical id lower-cased (S3 names are lower case), or BucketName. */
  name: string
  notifications: QueueNotification[]
}

export interface LocalResources {
  tables: TableSpec[]
  buckets: BucketSpec[]
  /** Event buses declared (AWS::Events::EventBus), by name. */
  buses: string[]
}

const arn = (service: string, resource: string) => `arn:aws:${service}:${localRegion}:${localAccount}:${resource}`

const physicalName: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Serverless::SimpleTable': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Events::EventBus': 'Name',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::Serverless::Function': 'FunctionName',
  'AWS::Lambda::Function': 'FunctionName',
}

/** The name a resource has locally: its physical name when the template sets one, else its logical id. */
export function localName(id: string, resource: Node): string {
  const properties = isNode(resource.Properties) ? resource.Properties : {}
  const key = physicalName[String(resource.Type)]
  const declared = key === undefined ? undefined : properties[key]
  const name = typeof declared === 'string' ? declared : id
  return resource.Type === 'AWS::S3::Bucket' ? name.toLowerCase() : name
}

/** `!GetAtt id.attribute` as a plausible local value; `id.attribute` when there is none to give. */
export function localAttribute(id: string, attribute: string, resources: Node): string {
  const resource = resources[id]
  if (!isNode(resource)) return `${id}.${attribute}`
  const name = localName(id, resource)
  const byType: Record<string, Record<string, string>> = {
    'AWS::DynamoDB::Table': {
      Arn: arn('dynamodb', `table/${name}`),
      StreamArn: arn('dynamodb', `table/${name}/stream/local`),
    },
    'AWS::S3::Bucket': {
      Arn: `arn:aws:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      RegionalDomainName: `${name}.s3.${localRegion}.amazonaws.com`,
    },
    'AWS::SQS::Queue': {
      Arn: arn('sqs', name),
      QueueName: name,
      QueueUrl: `https://sqs.${localRegion}.amazonaws.com/${localAccount}/${name}`,
    },
    'AWS::SNS::Topic': { TopicArn: arn('sns', name), TopicName: name },
    'AWS::Events::EventBus': { Arn: arn('events', `event-bus/${name}`), Name: name },
    'AWS::SecretsManager::Secret': { Id: arn('secretsmanager', `secret:${name}`) },
    'AWS::Serverless::Function': { Arn: arn('lambda', `function:${name}`) },
    'AWS::Lambda::Function': { Arn: arn('lambda', `function:${name}`) },
  }
  byType['AWS::Serverless::SimpleTable'] = byType['AWS::DynamoDB::Table'] as Record<string, string>
  return byType[String(resource.Type)]?.[attribute] ?? `${id}.${attribute}`
}

/** `!GetAtt Queue.Arn`, `!Ref Queue`, a name or an ARN: the queue's local name. */
export function queueName(value: unknown, resources: Node): string {
  const getAtt = isNode(value) ? value['Fn::GetAtt'] : undefined
  const id = Array.isArray(getAtt)
    ? String(getAtt[0])
    : isNode(value) && typeof value.Ref === 'string'
      ? value.Ref
      : undefined
  if (id !== undefined) {
    const resource = resources[id]
    return isNode(resource) ? localName(id, resource) : id
  }
  return String(value).split(':').pop() as string
}

function simpleTable(name: string, properties: Node): Node {
  const key = isNode(properties.PrimaryKey) ? properties.PrimaryKey : {}
  const types: Record<string, string> = { String: 'S', Number: 'N', Binary: 'B' }
  const keyName = String(key.Name ?? 'id')
  return {
    TableName: name,
    KeySchema: [{ AttributeName: keyName, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: keyName, AttributeType: types[String(key.Type ?? 'String')] ?? 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  }
}

function dynamoTable(name: string, properties: Node): Node {
  const onDemand = properties.BillingMode === 'PAY_PER_REQUEST'
  const throughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
  const index = (declared: unknown) => {
    const node = isNode(declared) ? declared : {}
    return {
      IndexName: node.IndexName,
      KeySchema: node.KeySchema,
      Projection: node.Projection ?? { ProjectionType: 'ALL' },
      ...(onDemand ? {} : { ProvisionedThroughput: node.ProvisionedThroughput ?? throughput }),
    }
  }
  const global = Array.isArray(properties.GlobalSecondaryIndexes) ? properties.GlobalSecondaryIndexes : []
  const local = Array.isArray(properties.LocalSecondaryIndexes) ? properties.LocalSecondaryIndexes : []
  return {
    TableName: name,
    KeySchema: properties.KeySchema,
    AttributeDefinitions: properties.AttributeDefinitions,
    ...(onDemand
      ? { BillingMode: 'PAY_PER_REQUEST' }
      : { ProvisionedThroughput: properties.ProvisionedThroughput ?? throughput }),
    ...(global.length > 0 ? { GlobalSecondaryIndexes: global.map(index) } : {}),
    ...(local.length > 0
      ? { LocalSecondaryIndexes: local.map((declared) => ({ ...index(declared), ProvisionedThroughput: undefined })) }
      : {}),
  }
}

function notificationsOf(properties: Node, resources: Node): QueueNotification[] {
  const configuration = isNode(properties.NotificationConfiguration) ? properties.NotificationConfiguration : {}
  const queues = Array.isArray(configuration.QueueConfigurations) ? configuration.QueueConfigurations : []
  return queues.filter(isNode).map((queue, index) => {
    const filter = isNode(queue.Filter) && isNode(queue.Filter.S3Key) ? queue.Filter.S3Key.Rules : undefined
    const rule = (name: string) =>
      String(
        (Array.isArray(filter) ? filter : []).find(
          (entry) => isNode(entry) && String(entry.Name).toLowerCase() === name,
        )?.Value ?? '',
      )
    return {
      event: String(queue.Event ?? ''),
      queue: queueName(queue.Queue, resources),
      prefix: rule('prefix'),
      suffix: rule('suffix'),
      id: String(queue.Id ?? `QueueConfiguration${index + 1}`),
    }
  })
}

/** The tables, buckets and buses the stand-ins create for this template. */
export function localResources(resources: Node): LocalResources {
  const found: LocalResources = { tables: [], buckets: [], buses: [] }
  for (const [id, resource] of Object.entries(resources)) {
    if (!isNode(resource)) continue
    const properties = isNode(resource.Properties) ? resource.Properties : {}
    const name = localName(id, resource)
    if (resource.Type === 'AWS::DynamoDB::Table')
      found.tables.push({ id, name, definition: dynamoTable(name, properties) })
    else if (resource.Type === 'AWS::Serverless::SimpleTable') {
      found.tables.push({ id, name, definition: simpleTable(name, properties) })
    } else if (resource.Type === 'AWS::S3::Bucket') {
      found.buckets.push({ id, name, notifications: notificationsOf(properties, resources) })
    } else if (resource.Type === 'AWS::Events::EventBus') found.buses.push(name)
  }
  return found
}
