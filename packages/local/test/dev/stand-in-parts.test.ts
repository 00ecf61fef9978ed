// The stand-ins' edges, each started alone: what PutEvents refuses, a table dynalite refuses, a
// package that is not installed, a pattern lamina dev cannot match, an S3 route with no bucket.
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { afterEach, describe, expect, it } from 'vitest'
import { proxyS3 } from '../../src/dev/s3-route.js'
import { optionalPackage } from '../../src/dev/stand-ins/optional-package.js'
import { notifies } from '../../src/dev/stand-ins/s3.js'
import { startStandIns } from '../../src/dev/stand-ins.js'
import type { FunctionSpec } from '../../src/dev/template.js'
import { exampleFolder, startTestServer } from './support/dev-server.js'

const fixture = fileURLToPath(new URL('../fixtures/aws-stand-ins/', import.meta.url))
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

const consumer = (pattern: unknown, bus = 'default') =>
  ({
    id: 'Consumer',
    functionName: 'Consumer',
    queues: [],
    rules: [{ name: 'OnIt', bus, pattern }],
  }) as unknown as FunctionSpec

const putEvents = (endpoint: string, body: string, target = 'AWSEvents.PutEvents') =>
  fetch(endpoint, { method: 'POST', body, headers: { 'x-amz-target': target } })

describe('EventBridge stand-in', () => {
  it('answers what EventBridge refuses: another operation, a body that is not JSON, 0 or 11 entries, a malformed Detail', async () => {
    // Prepare
    const lines: string[] = []
    const delivered: unknown[] = []
    const standIns = await startStandIns(exampleFolder({}), {
      functions: () => [consumer({ source: ['a'] })],
      deliverEvent: async (_fn, _rule, event) => delivered.push(event),
      print: (line) => lines.push(line),
    })
    cleanups.push(standIns.close)
    const endpoint = standIns.env.AWS_ENDPOINT_URL_EVENTBRIDGE as string
    const entry = { Source: 'a', DetailType: 't', Detail: '{}' }
    // Act
    const other = await putEvents(endpoint, '{}', 'AWSEvents.ListRules')
    const notJson = await putEvents(endpoint, 'nope')
    const none = await putEvents(endpoint, JSON.stringify({ Entries: [] }))
    const eleven = await putEvents(endpoint, JSON.stringify({ Entries: Array(11).fill(entry) }))
    const mixed = await putEvents(
      endpoint,
      JSON.stringify({
        Entries: [
          { ...entry, Detail: '[1]' },
          { ...entry, Detail: '{' },
          { ...entry, Time: 1_700_000_000, Resources: ['arn:x'] },
          { ...entry, Time: 'not a time', EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/default' },
          { ...entry, EventBusName: 'elsewhere' },
        ],
      }),
    )
    // Assess
    expect([other.status, notJson.status, none.status, eleven.status]).toEqual([400, 400, 400, 400])
    expect(await other.json()).toMatchObject({ __type: 'UnknownOperationException' })
    expect(await mixed.json()).toMatchObject({
      FailedEntryCount: 2,
      Entries: [
        { ErrorCode: 'MalformedDetail' },
        { ErrorCode: 'MalformedDetail' },
        { EventId: expect.any(String) },
        {},
        {},
      ],
    })
    expect(delivered).toMatchObject([
      { time: '2023-11-14T22:13:20Z', resources: ['arn:x'] },
      { time: expect.stringMatching(/Z$/) },
    ])
    expect(lines).toEqual(['EventBridge a t on elsewhere: no rule matches'])
    expect(standIns.descriptions).toEqual([
      expect.stringMatching(/^EventBridge on http:\/\/127\.0\.0\.1:\d+ \(PutEvents\), buses default$/),
    ])
    expect(standIns.envFor('Consumer').AWS_ENDPOINT_URL_EVENTBRIDGE).toBe(`${endpoint}/from/Consumer`)
  })

  it("does not wait for a function's own delivery: its PutEvents answers while that delivery still runs", async () => {
    // Prepare
    let finish = () => {}
    const standIns = await startStandIns(exampleFolder({}), {
      functions: () => [consumer({ source: ['a'] })],
      deliverEvent: () => new Promise<void>((resolve) => (finish = resolve)),
    })
    cleanups.push(standIns.close)
    // Act
    const answer = await putEvents(
      standIns.envFor('Consumer').AWS_ENDPOINT_URL_EVENTBRIDGE as string,
      JSON.stringify({ Entries: [{ Source: 'a', DetailType: 't', Detail: '{}' }] }),
    )
    // Assess
    expect(await answer.json()).toMatchObject({ FailedEntryCount: 0 })
    finish()
  })

  it('stops lamina dev at startup when a rule uses a pattern operator it cannot match', async () => {
    const dir = exampleFolder({
      'template.yaml': `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: fn.handler
      Events:
        Any: { Type: EventBridgeRule, Properties: { Pattern: { detail: { id: [{ wildcard: "o-*" }] } } } }
`,
      'fn.mjs': 'export const handler = () => 1',
    })
    await expect(startTestServer({ dir })).rejects.toThrow(
      /^function Fn: the Pattern of rule FnAny uses detail\.id: the "wildcard" operator, which lamina dev does not match/,
    )
  })
})

describe('EventBridge rules when the template changes', () => {
  it('refuses a changed template whose new rule it cannot match, and keeps serving', async () => {
    // Prepare
    const template = (pattern: string) => `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: fn.handler
      Events:
        Any: { Type: EventBridgeRule, Properties: { Pattern: ${pattern} } }
`
    const dir = exampleFolder({
      'template.yaml': template('{ source: [a] }'),
      'fn.mjs': 'export const handler = () => 1',
    })
    const server = await startTestServer({ dir, watch: true })
    cleanups.push(server.close)
    const restarted = once(server, 'restart')
    // Act
    writeFileSync(join(dir, 'template.yaml'), template('{ source: [{ wildcard: "a*" }] }'))
    const [{ error }] = (await restarted) as [{ error?: Error }]
    // Assess
    expect(error?.message).toMatch(/^function Fn: the Pattern of rule FnAny uses source: the "wildcard" operator/)
    expect(server.template.functions[0]?.rules).toEqual([{ name: 'FnAny', bus: 'default', pattern: { source: ['a'] } }])
  })
})

describe('what every function gets, and a delivery that cannot run', () => {
  it("hands each function the stand-ins' endpoints and credentials; a failed delivery is a line, not a crash", async () => {
    // Prepare: a runtime whose functions record their variables and cannot be invoked
    const envs = new Map<string, Record<string, string>>()
    const server = await startTestServer({
      dir: fixture,
      startFunction: async (options) => {
        envs.set(options.functionName as string, options.env ?? {})
        return {
          invoke: () => Promise.reject(new Error('the process is gone')),
          restart: async () => {},
          close: async () => {},
        }
      },
    })
    cleanups.push(server.close)
    const endpoint = (name: string) =>
      server.lines.join('\n').match(new RegExp(`stand-in: ${name} on (http://127\\.0\\.0\\.1:\\d+)`))?.[1]
    // Act
    const put = await fetch(`${server.url}/_lamina/s3/uploads/in/a.txt`, { method: 'PUT', body: 'a' })
    const published = await putEvents(
      endpoint('EventBridge') as string,
      JSON.stringify({
        Entries: [{ Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{"total":1}', EventBusName: 'Bus' }],
      }),
    )
    // Assess
    expect(envs.get('PublishFunction')).toMatchObject({
      AWS_ENDPOINT_URL_DYNAMODB: endpoint('DynamoDB'),
      AWS_ENDPOINT_URL_S3: endpoint('S3'),
      AWS_ENDPOINT_URL_EVENTBRIDGE: `${endpoint('EventBridge')}/from/PublishFunction`,
      AWS_ACCESS_KEY_ID: 'lamina-local',
      AWS_SECRET_ACCESS_KEY: 'lamina-local',
      AWS_REGION: 'us-east-1',
      BUS: 'Bus',
    })
    expect(await put.json()).toMatchObject({ key: 'in/a.txt', delivered: [] })
    expect(await published.json()).toMatchObject({ FailedEntryCount: 0 })
    expect(server.lines).toEqual(
      expect.arrayContaining([
        'S3 uploads/in/a.txt → SQS UploadsQueue → not delivered (the process is gone)',
        'EventBridge shop.orders OrderPlaced → rule OrderPlacedFunctionPlaced → not delivered (the process is gone)',
      ]),
    )
  })
})

describe('DynamoDB and S3 stand-ins', () => {
  it('names a table dynalite refuses and what to fix', async () => {
    const table = { id: 'Bad', name: 'Bad', definition: { TableName: 'Bad', KeySchema: [] } }
    await expect(
      startStandIns(exampleFolder({}), { resources: { tables: [table], buckets: [], buses: [] } }),
    ).rejects.toThrow(
      /^table Bad: the DynamoDB stand-in refused it \(.+\): fix its KeySchema, AttributeDefinitions or indexes in template\.yaml$/,
    )
  })

  it('says which package to install when an optional one is missing', () => {
    expect(() => optionalPackage('no-such-package-lamina', exampleFolder({}), 'the S3 bucket Uploads')).toThrow(
      'the S3 bucket Uploads needs the no-such-package-lamina package, which is not installed: run npm i -D no-such-package-lamina',
    )
    const broken = exampleFolder({ 'node_modules/broken-lamina/index.js': 'require("./missing-inside")\n' })
    expect(() => optionalPackage('broken-lamina', broken, 'x')).toThrow(/missing-inside/)
  })

  it('notifies for the configured event, prefix and suffix only', () => {
    const notification = { event: 's3:ObjectCreated:*', queue: 'q', prefix: 'in/', suffix: '.csv', id: 'n' }
    expect(notifies(notification, 'ObjectCreated:Put', 'in/a.csv')).toBe(true)
    expect(notifies(notification, 'ObjectCreated:Copy', 'in/a.csv')).toBe(true)
    expect(notifies(notification, 'ObjectRemoved:Delete', 'in/a.csv')).toBe(false)
    expect(notifies(notification, 'ObjectCreated:Put', 'out/a.csv')).toBe(false)
    expect(notifies(notification, 'ObjectCreated:Put', 'in/a.txt')).toBe(false)
    expect(notifies({ ...notification, event: 's3:ObjectCreated:Post' }, 'ObjectCreated:Put', 'in/a.csv')).toBe(false)
  })

  it('answers 404 on /_lamina/s3 when the template has no bucket', async () => {
    // Prepare
    const server = createServer((request: IncomingMessage, response: ServerResponse) =>
      proxyS3(undefined, request, 'b', 'k', Buffer.alloc(0), response),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())))
    // Act
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    // Assess
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({
      message: 'The template declares no AWS::S3::Bucket, so there is no local S3: add one to use /_lamina/s3.',
    })
  })
})

describe('Secrets Manager stand-in', () => {
  it('finds a secret asked for by its ARN (what !Ref of an AWS::SecretsManager::Secret gives on AWS)', async () => {
    const standIns = await startStandIns(exampleFolder({ 'secrets.local.json': '{"app/db":"pw"}' }))
    cleanups.push(standIns.close)
    const client = new SecretsManagerClient({
      endpoint: standIns.env.AWS_ENDPOINT_URL_SECRETS_MANAGER,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    })
    cleanups.push(async () => client.destroy())
    const secret = await client.send(
      new GetSecretValueCommand({ SecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db' }),
    )
    expect(secret).toMatchObject({ Name: 'app/db', SecretString: 'pw' })
  })
})
