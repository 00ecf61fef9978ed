// Reading SAM templates: functions, their sources, their event sources, and routing between them.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildFunctions } from '../../src/build/build.js'
import { createRouter } from '../../src/dev/routes.js'
import { type FunctionSpec, functionFromHandler, loadTemplate } from '../../src/dev/template.js'
import { exampleFolder, fixtures } from './support/dev-server.js'

const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url))
const ordersFixture = fileURLToPath(new URL('../../../../bench/fixtures/orders-api/', import.meta.url))
const standInsFixture = fileURLToPath(new URL('../fixtures/aws-stand-ins/', import.meta.url))

describe('loadTemplate', () => {
  it("reads the examples' templates: the source entry point, routes, settings from Globals", () => {
    const [orders] = loadTemplate(ordersFixture).functions
    const [hello] = loadTemplate(join(examples, 'hello')).functions
    expect(orders).toMatchObject({
      id: 'OrdersFunction',
      handler: 'src/handler.handler',
      entry: join(ordersFixture, 'src/handler.ts'),
      timeoutSeconds: 10,
      memoryMb: 512,
      environment: { POWERTOOLS_SERVICE_NAME: 'orders-api' },
      routes: [{ method: 'POST', path: '/orders', format: 'v2' }],
    })
    expect(hello).toMatchObject({
      handler: 'src/handler.handler',
      timeoutSeconds: 3,
      routes: [{ method: 'GET', path: '/', format: 'v2' }],
    })
  })

  it('reads short-form tags, parameters, queues, schedules and Function URLs', () => {
    const { functions } = loadTemplate(join(fixtures, 'shop'))
    const byId = Object.fromEntries(functions.map((fn) => [fn.id, fn])) as Record<string, FunctionSpec>
    expect(byId.ItemsFunction).toMatchObject({
      functionName: 'shop-items-local',
      environment: { STAGE: 'local', QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:Orders' },
      routes: [
        { method: 'GET', path: '/items/{id}' },
        { method: 'POST', path: '/items' },
        { method: 'GET', path: '/items/special' },
      ],
    })
    expect(byId.LegacyFunction?.routes).toEqual([{ method: 'ANY', path: '/legacy/{proxy+}', format: 'v1' }])
    expect(byId.QueueFunction?.queues).toEqual(['Orders'])
    expect(byId.TickFunction?.schedules).toEqual([{ rule: 'shop-tick', expression: 'rate(5 minutes)' }])
    expect(byId.SleepyFunction?.timeoutSeconds).toBe(1)
  })

  it('payload format 1.0 on an HttpApi, a catch-all HttpApi, a streaming Function URL, Sub with pseudo parameters', () => {
    const dir = exampleFolder({
      'template.yaml': `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: fn.handler
      FunctionName: !Sub '\${AWS::Region}-\${AWS::AccountId}-\${AWS::StackName}'
      Environment: { Variables: { ARN: !GetAtt [Table, Arn], ODD: !Join [',', [a, b]], ON: true } }
      Events:
        Old: { Type: HttpApi, Properties: { Path: /old, Method: '*', PayloadFormatVersion: '1.0' } }
        All: { Type: HttpApi }
        Queue: { Type: SQS, Properties: { Queue: arn:aws:sqs:us-east-1:123456789012:jobs } }
        Ref: { Type: SQS, Properties: { Queue: !Ref Jobs } }
        Later: { Type: ScheduleV2, Properties: { ScheduleExpression: rate(1 hour) } }
        Broken: not an event
  Url:
    Type: AWS::Serverless::Function
    Properties:
      Handler: fn.handler
      FunctionUrlConfig: { AuthType: NONE, InvokeMode: RESPONSE_STREAM }
  Table: { Type: AWS::DynamoDB::Table }
`,
      'fn.js': 'export const handler = () => 1',
    })
    const [fn, url] = loadTemplate(dir).functions as [FunctionSpec, FunctionSpec]
    expect(fn.functionName).toBe('us-east-1-123456789012-StackName')
    expect(fn.environment).toEqual({
      ARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/Table',
      ODD: 'a,b',
      ON: 'true',
    })
    expect(fn.routes).toEqual([
      { method: 'ANY', path: '/old', format: 'v1' },
      { method: 'ANY', path: '$default', format: 'v2' },
    ])
    expect(fn.queues).toEqual(['jobs', 'Jobs'])
    expect(fn.schedules).toEqual([{ rule: 'Later', expression: 'rate(1 hour)' }])
    expect(url).toMatchObject({
      streaming: true,
      routes: [{ method: 'ANY', path: '$default', format: 'url' }],
      handler: 'fn.handler',
    })
  })

  it.each([
    ['Resources: [', /template\.yaml is not valid YAML \(.*\): fix the template/],
    ['Description: nothing', /template\.yaml has no Resources: add an AWS::Serverless::Function under Resources/],
    ['Resources: { Q: { Type: AWS::SQS::Queue } }', /declares no AWS::Serverless::Function: add one under Resources/],
    [
      'Resources: { F: { Type: AWS::Serverless::Function, Properties: { Handler: nodot } } }',
      /function F has no Handler of the form file\.export: set Handler: handler\.handler/,
    ],
    [
      'Resources: { F: { Type: AWS::Serverless::Function, Metadata: { BuildProperties: { EntryPoints: [src/app.ts] } }, Properties: { Handler: app.handler } } }',
      /function F: its handler source src\/app\.ts does not exist/,
    ],
  ])('refuses %j with what to do', (text, message) => {
    expect(() => loadTemplate(exampleFolder({ 'template.yaml': text }))).toThrow(message)
  })

  it('takes the source from Metadata.Lamina.Entry while CodeUri and Handler name the built bundle', () => {
    // Prepare
    const dir = exampleFolder({
      'template.yaml': `
Resources:
  ApiFunction:
    Type: AWS::Serverless::Function
    Metadata: { Lamina: { Entry: src/api.ts } }
    Properties: { CodeUri: .lamina/build/ApiFunction, Handler: api.main }
  Plain:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: lib/, Handler: plain.handler }
`,
      'src/api.ts': 'export const main = () => 1',
      'lib/plain.mjs': 'export const handler = () => 1',
    })
    // Act
    const [api, plain] = loadTemplate(dir).functions
    // Assess
    expect(api).toMatchObject({ id: 'ApiFunction', handler: 'src/api.main', entry: join(dir, 'src/api.ts') })
    expect(plain).toMatchObject({ handler: 'lib/plain.handler', entry: join(dir, 'lib/plain.mjs') })
  })

  it('lamina build bundles Metadata.Lamina.Entry where CodeUri and Handler expect the bundle', async () => {
    // Prepare
    const outdir = join(exampleFolder({}), '.lamina/build')
    // Act
    const built = await buildFunctions({ target: standInsFixture, outdir, sdk: 'external' })
    // Assess
    const byName = Object.fromEntries(built.map((fn) => [fn.name, fn]))
    expect(byName.ItemsFunction).toMatchObject({
      entry: join(standInsFixture, 'src/items.ts'),
      outfile: join(outdir, 'ItemsFunction/items.mjs'),
      handler: 'items.handler',
    })
    expect(byName.BillingFunction).toMatchObject({ outfile: join(outdir, 'BillingFunction/record.mjs') })
  })

  it('refuses a Metadata.Lamina.Entry that does not exist, naming the file and the key to fix', () => {
    const dir = exampleFolder({
      'template.yaml': `
Resources:
  ApiFunction:
    Type: AWS::Serverless::Function
    Metadata: { Lamina: { Entry: src/gone.ts } }
    Properties: { CodeUri: .lamina/build/ApiFunction, Handler: gone.handler }
`,
    })
    expect(() => loadTemplate(dir)).toThrow(
      /^function ApiFunction: its Metadata\.Lamina\.Entry src\/gone\.ts does not exist: create it, or fix Metadata\.Lamina\.Entry \(relative to the template's folder\) in .*template\.yaml$/,
    )
  })

  it("resolves !Ref and !GetAtt of resources to the stand-ins' names and local ARNs", () => {
    // Prepare
    const dir = exampleFolder({
      'template.yaml': `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: fn.handler
      Environment:
        Variables:
          TABLE: !Ref Orders
          TABLE_ARN: !GetAtt Orders.Arn
          STREAM: !GetAtt [Orders, StreamArn]
          NAMED: !Ref Named
          SIMPLE: !Ref Simple
          BUCKET: !Ref UploadsBucket
          BUCKET_ARN: !GetAtt UploadsBucket.Arn
          NAMED_BUCKET: !Ref Fixed
          QUEUE: !Ref Jobs
          QUEUE_ARN: !GetAtt Jobs.Arn
          QUEUE_URL: !GetAtt Jobs.QueueUrl
          BUS: !Ref Bus
          BUS_ARN: !GetAtt Bus.Arn
          SECRET: !Ref Secret
          FN_ARN: !GetAtt Fn.Arn
          TOPIC: !GetAtt Topic.TopicName
          SUB: !Sub 'arn:\${AWS::Partition}:x:\${Bus.Arn}/\${Orders}/\${Missing}'
          SUB_VARS: !Sub ['\${Name}-\${AWS::Region}', { Name: !Ref Jobs }]
          UNKNOWN: !GetAtt Somewhere.Thing
          ODD_ATTRIBUTE: !GetAtt Orders.Nothing
          UNRESOLVED: !If [IsProd, a, b]
          HALF_JOIN: !Join ['', [a, !If [IsProd, a, b]]]
  Orders: { Type: AWS::DynamoDB::Table }
  Named: { Type: AWS::DynamoDB::Table, Properties: { TableName: orders-named } }
  Simple: { Type: AWS::Serverless::SimpleTable }
  UploadsBucket: { Type: AWS::S3::Bucket }
  Fixed: { Type: AWS::S3::Bucket, Properties: { BucketName: My-Bucket } }
  Jobs: { Type: AWS::SQS::Queue }
  Bus: { Type: AWS::Events::EventBus }
  Secret: { Type: AWS::SecretsManager::Secret, Properties: { Name: app/db } }
  Topic: { Type: AWS::SNS::Topic }
`,
      'fn.js': 'export const handler = () => 1',
    })
    // Act
    const [fn] = loadTemplate(dir).functions
    // Assess
    const account = 'us-east-1:123456789012'
    expect(fn?.environment).toEqual({
      TABLE: 'Orders',
      TABLE_ARN: `arn:aws:dynamodb:${account}:table/Orders`,
      STREAM: `arn:aws:dynamodb:${account}:table/Orders/stream/local`,
      NAMED: 'orders-named',
      SIMPLE: 'Simple',
      BUCKET: 'uploadsbucket',
      BUCKET_ARN: 'arn:aws:s3:::uploadsbucket',
      NAMED_BUCKET: 'my-bucket',
      QUEUE: 'Jobs',
      QUEUE_ARN: `arn:aws:sqs:${account}:Jobs`,
      QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/Jobs',
      BUS: 'Bus',
      BUS_ARN: `arn:aws:events:${account}:event-bus/Bus`,
      SECRET: 'app/db',
      FN_ARN: `arn:aws:lambda:${account}:function:Fn`,
      TOPIC: 'Topic',
      SUB: `arn:aws:x:arn:aws:events:${account}:event-bus/Bus/Orders/Missing`,
      SUB_VARS: 'Jobs-us-east-1',
      UNKNOWN: 'Somewhere.Thing',
      ODD_ATTRIBUTE: 'Orders.Nothing',
    })
  })

  it('reads the tables, buckets with their queue notifications, buses and EventBridge rules to stand in for', () => {
    // Act
    const template = loadTemplate(standInsFixture)
    const rules = Object.fromEntries(template.functions.map((fn) => [fn.id, fn.rules]))
    // Assess
    expect(template.resources?.tables).toEqual([
      {
        id: 'Items',
        name: 'Items',
        definition: {
          TableName: 'Items',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'sku', AttributeType: 'S' },
          ],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [
            {
              IndexName: 'bySku',
              KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        },
      },
    ])
    expect(template.resources?.buckets).toEqual([
      {
        id: 'Uploads',
        name: 'uploads',
        notifications: [
          { event: 's3:ObjectCreated:*', queue: 'UploadsQueue', prefix: 'in/', suffix: '', id: 'QueueConfiguration1' },
        ],
      },
    ])
    expect(template.resources?.buses).toEqual(['Bus'])
    expect(rules.BillingFunction).toEqual([
      { name: 'BillingFunctionBilled', bus: 'Bus', pattern: { source: [{ prefix: 'shop.billing' }] } },
    ])
    expect(rules.UploadFunction).toEqual([])
  })

  it('reads provisioned tables, local indexes, simple tables, key filters and rule buses given by name or ARN', () => {
    // Prepare
    const dir = exampleFolder({
      'template.yaml': `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: fn.handler
      Events:
        OnDefault: { Type: EventBridgeRule, Properties: { Pattern: { source: [a] } } }
        OnArn:
          Type: CloudWatchEvent
          Properties:
            EventBusName: arn:aws:events:us-east-1:123456789012:event-bus/shared
            RuleName: on-arn
            Pattern: { source: [b] }
        NoPattern: { Type: EventBridgeRule, Properties: { EventBusName: x } }
  Provisioned:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{ AttributeName: pk, KeyType: HASH }, { AttributeName: sk, KeyType: RANGE }]
      AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }, { AttributeName: sk, AttributeType: N }]
      LocalSecondaryIndexes:
        - { IndexName: bySk, KeySchema: [{ AttributeName: pk, KeyType: HASH }], Projection: { ProjectionType: KEYS_ONLY } }
      GlobalSecondaryIndexes:
        - { IndexName: g, KeySchema: [{ AttributeName: sk, KeyType: HASH }] }
  Simple:
    Type: AWS::Serverless::SimpleTable
    Properties: { PrimaryKey: { Name: n, Type: Number } }
  Files:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        QueueConfigurations:
          - Id: csv
            Event: s3:ObjectCreated:Put
            Queue: arn:aws:sqs:us-east-1:123456789012:csv-queue
            Filter: { S3Key: { Rules: [{ Name: Suffix, Value: .csv }, { Name: prefix, Value: in/ }] } }
`,
      'fn.js': 'export const handler = () => 1',
    })
    // Act
    const { functions, resources } = loadTemplate(dir)
    // Assess
    expect(functions[0]?.rules).toEqual([
      { name: 'FnOnDefault', bus: 'default', pattern: { source: ['a'] } },
      { name: 'on-arn', bus: 'shared', pattern: { source: ['b'] } },
    ])
    const throughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
    expect(resources?.tables.map((table) => table.definition)).toEqual([
      {
        TableName: 'Provisioned',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        ProvisionedThroughput: throughput,
        GlobalSecondaryIndexes: [
          {
            IndexName: 'g',
            KeySchema: [{ AttributeName: 'sk', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
            ProvisionedThroughput: throughput,
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'bySk',
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
            ProvisionedThroughput: undefined,
          },
        ],
      },
      {
        TableName: 'Simple',
        KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'n', AttributeType: 'N' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
    ])
    expect(resources?.buckets[0]?.notifications).toEqual([
      { event: 's3:ObjectCreated:Put', queue: 'csv-queue', prefix: 'in/', suffix: '.csv', id: 'csv' },
    ])
  })

  it('a --handler without template answers every request', () => {
    const dir = exampleFolder({ 'lib/app.cjs': 'exports.main = () => 1' })
    expect(functionFromHandler(dir, 'lib/app.main').functions[0]).toMatchObject({
      handler: 'lib/app.main',
      routes: [{ method: 'ANY', path: '$default' }],
    })
  })
})

const spec = (id: string, routes: FunctionSpec['routes']): FunctionSpec => ({
  id,
  functionName: id,
  handler: `${id}.handler`,
  entry: id,
  timeoutSeconds: 3,
  memoryMb: 128,
  environment: {},
  routes,
  queues: [],
  schedules: [],
  streaming: false,
})

describe('createRouter', () => {
  const router = createRouter([
    spec('Get', [{ method: 'GET', path: '/items/{id}', format: 'v2' }]),
    spec('Special', [{ method: 'GET', path: '/items/special', format: 'v2' }]),
    spec('Files', [{ method: 'ANY', path: '/files/{proxy+}', format: 'v1' }]),
    spec('Fallback', [{ method: 'ANY', path: '$default', format: 'v2' }]),
  ])

  it('picks the most specific route: literal, then parameter, then greedy, then $default', () => {
    expect(router('GET', '/items/special')).toMatchObject({
      fn: { id: 'Special' },
      routeKey: 'GET /items/special',
      pathParameters: undefined,
    })
    expect(router('GET', '/items/42')).toMatchObject({ fn: { id: 'Get' }, pathParameters: { id: '42' } })
    expect(router('DELETE', '/files/a/b%20c')).toMatchObject({
      fn: { id: 'Files' },
      format: 'v1',
      pathParameters: { proxy: 'a/b c' },
    })
    expect(router('GET', '/files')).toMatchObject({ fn: { id: 'Fallback' }, routeKey: '$default' })
    expect(router('POST', '/items/42')).toMatchObject({ fn: { id: 'Fallback' } })
    expect(router('GET', '/items/%E0%A4%A')).toMatchObject({ pathParameters: { id: '%E0%A4%A' } })
  })

  it('sends everything to a lone function without routes; finds nothing for unrouted paths among several', () => {
    expect(createRouter([spec('Only', [])])('PATCH', '/x/y')).toMatchObject({
      fn: { id: 'Only' },
      routeKey: '$default',
      format: 'v2',
    })
    expect(
      createRouter([spec('A', [{ method: 'GET', path: '/a', format: 'v2' }]), spec('B', [])])('GET', '/b'),
    ).toBeUndefined()
    expect(createRouter([spec('Only', [])], 'alb')('GET', '/')).toMatchObject({ format: 'alb' })
  })

  it('property: a parameter route matches exactly the paths with one segment there, and gives it back', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/)
    const only = createRouter([spec('One', [{ method: 'GET', path: '/a/{x}/b', format: 'v2' }]), spec('Two', [])])
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 4 }), (parts) => {
        const match = only('GET', `/${parts.join('/')}`)
        const fits = parts.length === 3 && parts[0] === 'a' && parts[2] === 'b'
        expect(match?.pathParameters).toEqual(fits ? { x: parts[1] } : undefined)
      }),
    )
  })
})
