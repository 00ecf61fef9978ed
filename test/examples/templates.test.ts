// Every example's SAM template is one a team could deploy: Lambda's current runtime on arm64, each
// handler pointing at a file `lamina build` really writes, every policy scoped to one resource of
// the template, and somewhere for the events of every source that can fail to go.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildFunctions } from '@lamina/local'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensurePackagesBuilt, repoRoot } from '../support/built-packages.ts'
import { functionsOf, parseSamTemplate, templateProblems } from '../support/sam-template.ts'

const examplesDir = join(repoRoot, 'examples')
const examples = readdirSync(examplesDir).filter((name) => existsSync(join(examplesDir, name, 'template.yaml')))
const readTemplate = (example: string) =>
  parseSamTemplate(readFileSync(join(examplesDir, example, 'template.yaml'), 'utf8'))

let outRoot: string
beforeAll(async () => {
  await ensurePackagesBuilt()
  outRoot = await mkdtemp(join(tmpdir(), 'lamina-templates-'))
}, 5 * 60_000)
afterAll(() => rm(outRoot, { recursive: true, force: true }))

describe.each(examples)('examples/%s/template.yaml', (example) => {
  it('passes review: nodejs24.x on arm64, scoped policies, a dead-letter target for every source that can fail', () => {
    expect(templateProblems(readTemplate(example))).toEqual([])
  })

  it('points each handler at the bundle lamina build writes for it', async () => {
    // Prepare
    const template = readTemplate(example)
    const outdir = join(outRoot, example)
    // Act: the same build a user runs, into a folder of its own so parallel tests do not collide.
    const built = await buildFunctions({ cwd: repoRoot, target: join('examples', example), outdir })
    // Assess: CodeUri is the build folder of that function, Handler names a file in it and its export.
    for (const fn of functionsOf(template)) {
      expect(fn.properties.CodeUri, `${fn.id} CodeUri`).toBe(`.lamina/build/${fn.id}`)
      const handler = String(fn.properties.Handler)
      const file = join(outdir, fn.id, `${handler.slice(0, handler.lastIndexOf('.'))}.mjs`)
      expect(existsSync(file), `${fn.id}: ${file} is not in the build output`).toBe(true)
      const exportName = handler.slice(handler.lastIndexOf('.') + 1)
      expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`export\\s*\\{[^}]*\\b${exportName}\\s*[,}]`))
    }
    expect(built.map((fn) => fn.name).sort()).toEqual(
      functionsOf(template)
        .map((fn) => fn.id)
        .sort(),
    )
  }, 120_000)
})

// The review must be able to fail: each rule refuses the template that breaks it.
describe('the template review', () => {
  const template = (resources: string, globals = 'Runtime: nodejs24.x\n    Architectures: [arm64]') =>
    parseSamTemplate(`
Globals:
  Function:
    ${globals}
Resources:
${resources}`)

  const fn = (extra: string) => `
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .lamina/build/Fn
      Handler: app.handler
${extra}`

  it('accepts a scoped policy and a queue with a dead-letter queue', () => {
    const accepted = template(`
  Table:
    Type: AWS::DynamoDB::Table
  Dlq:
    Type: AWS::SQS::Queue
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: { deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 3 }
${fn(`      Policies:
        - DynamoDBCrudPolicy: { TableName: !Ref Table }
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: !Sub '\${Queue.Arn}'
      Events:
        Work:
          Type: SQS
          Properties: { Queue: !GetAtt Queue.Arn, FunctionResponseTypes: [ReportBatchItemFailures] }`)}`)
    expect(templateProblems(accepted)).toEqual([])
  })

  it('refuses another runtime or architecture', () => {
    expect(templateProblems(template(fn(''), 'Runtime: nodejs20.x\n    Architectures: [x86_64]'))).toEqual([
      'Fn: Runtime is not nodejs24.x',
      'Fn: Architectures is not [arm64]',
    ])
  })

  it('refuses wildcards, managed policies and policies naming no resource of the template', () => {
    const problems = templateProblems(
      template(
        fn(`      Policies:
        - AmazonDynamoDBFullAccess
        - DynamoDBCrudPolicy: { TableName: '*' }
        - S3ReadPolicy: { BucketName: !Ref Elsewhere }
        - Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: '*'`),
      ),
    )
    expect(problems).toHaveLength(4)
    expect(problems.join('\n')).toMatch(/AmazonDynamoDBFullAccess" is a managed policy/)
    expect(problems.join('\n')).toMatch(/"\*" is not one resource/)
    expect(problems.join('\n')).toMatch(/Elsewhere is not a resource of this template/)
  })

  it('refuses an SQS source without batch failure reporting or a dead-letter queue', () => {
    const problems = templateProblems(
      template(`
  Queue:
    Type: AWS::SQS::Queue
${fn(`      Events:
        Work:
          Type: SQS
          Properties: { Queue: !GetAtt Queue.Arn }`)}`),
    )
    expect(problems).toEqual([
      'Fn event Work (SQS): no FunctionResponseTypes: [ReportBatchItemFailures]',
      'Fn event Work (SQS): its queue has no RedrivePolicy to a dead-letter queue',
    ])
  })

  it('refuses schedules, rules and asynchronous sources with nowhere for failed events', () => {
    const problems = templateProblems(
      template(`
  Rule:
    Type: AWS::Events::Rule
    Properties:
      Targets: [{ Id: fn, Arn: !GetAtt Fn.Arn }]
${fn(`      Events:
        Tick:
          Type: ScheduleV2
          Properties: { ScheduleExpression: rate(5 minutes) }
        Upload:
          Type: S3
          Properties: { Bucket: !Ref Bucket, Events: s3:ObjectCreated:* }`)}`),
    )
    expect(problems).toEqual([
      'Rule target 1: no DeadLetterConfig',
      'Fn event Tick (ScheduleV2): no DeadLetterConfig',
      'Fn event Tick (ScheduleV2): no RetryPolicy',
      'Fn event Upload (S3): no DeadLetterQueue or EventInvokeConfig OnFailure',
    ])
  })
})
