// Reads an example's SAM template as CloudFormation does (short-form tags such as !Ref, !GetAtt,
// !Sub become their long forms) and lists what a reviewer would refuse in it: a runtime other than
// Lambda's current one, a policy that is not scoped to one resource, an event source that can fail
// with nowhere for the failed events to go. The examples' test runs it on every template.
import { parse } from 'yaml'

type Node = Record<string, unknown>

const intrinsicNames = ['Ref', 'Condition', 'Sub', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Equals', 'Not'].concat([
  'And',
  'Or',
  'FindInMap',
  'ImportValue',
  'GetAZs',
  'Base64',
  'Cidr',
  'Transform',
])

const customTags = intrinsicNames.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`
  return [
    { tag: `!${name}`, resolve: (value: string) => ({ [key]: name === 'GetAtt' ? value.split('.') : value }) },
    {
      tag: `!${name}`,
      collection: 'seq' as const,
      resolve: (value: { toJSON(): unknown }) => ({ [key]: value.toJSON() }),
    },
    {
      tag: `!${name}`,
      collection: 'map' as const,
      resolve: (value: { toJSON(): unknown }) => ({ [key]: value.toJSON() }),
    },
  ]
})

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value)
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value])

export interface SamTemplate {
  Globals?: { Function?: Node }
  Resources: Record<string, Node>
}

export function parseSamTemplate(text: string): SamTemplate {
  const document = parse(text, { customTags }) as unknown
  if (!isNode(document) || !isNode(document.Resources)) throw new Error('the template has no Resources')
  return document as unknown as SamTemplate
}

export interface SamFunction {
  id: string
  properties: Node
  metadata: Node
}

/** Every AWS::Serverless::Function, with the Globals it inherits merged in. */
export function functionsOf(template: SamTemplate): SamFunction[] {
  const globals = template.Globals?.Function ?? {}
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Serverless::Function')
    .map(([id, resource]) => ({
      id,
      properties: { ...globals, ...(isNode(resource.Properties) ? resource.Properties : {}) },
      metadata: isNode(resource.Metadata) ? resource.Metadata : {},
    }))
}

/** The logical id a value points at (`!Ref X`, `!GetAtt X.Arn`, `!Sub ...${X}...`), if exactly one. */
function referencedResources(value: unknown): string[] {
  if (!isNode(value)) return []
  if (typeof value.Ref === 'string') return [value.Ref]
  const getAtt = value['Fn::GetAtt']
  if (Array.isArray(getAtt)) return [String(getAtt[0])]
  const sub = value['Fn::Sub']
  const text = Array.isArray(sub) ? sub[0] : sub
  if (typeof text === 'string') {
    return [...text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}/g)]
      .map((match) => match[1] as string)
      .filter((name) => !name.startsWith('AWS'))
  }
  return []
}

/** A resource the policy grants on: a reference to one resource of this template, never a wildcard. */
function scopedProblem(where: string, value: unknown, template: SamTemplate): string | undefined {
  if (typeof value === 'string') {
    return value.includes('*') || !value.startsWith('arn:')
      ? `${where}: "${value}" is not one resource of this template`
      : undefined
  }
  const names = referencedResources(value)
  if (names.length === 0) return `${where}: ${JSON.stringify(value)} does not name a resource of this template`
  const missing = names.filter((name) => template.Resources[name] === undefined)
  return missing.length > 0 ? `${where}: ${missing.join(', ')} is not a resource of this template` : undefined
}

function policyProblems(fn: SamFunction, template: SamTemplate): string[] {
  const problems: string[] = []
  for (const [index, policy] of asList(fn.properties.Policies).entries()) {
    const where = `${fn.id} policy ${index + 1}`
    if (!isNode(policy)) {
      problems.push(`${where}: "${String(policy)}" is a managed policy, not scoped to a resource`)
      continue
    }
    if (Array.isArray(policy.Statement)) {
      problems.push(...statementProblems(where, policy.Statement, template))
      continue
    }
    // A SAM policy template: { DynamoDBCrudPolicy: { TableName: !Ref Table } }.
    for (const [name, parameters] of Object.entries(policy)) {
      if (!isNode(parameters) || Object.keys(parameters).length === 0) {
        problems.push(`${where}: ${name} names no resource`)
        continue
      }
      for (const [key, value] of Object.entries(parameters)) {
        const problem = scopedProblem(`${where} ${name}.${key}`, value, template)
        if (problem) problems.push(problem)
      }
    }
  }
  return problems
}

function statementProblems(where: string, statements: unknown[], template: SamTemplate): string[] {
  return statements.flatMap((statement, index) => {
    if (!isNode(statement)) return [`${where} statement ${index + 1} is not a statement`]
    const resources = asList(statement.Resource)
    if (resources.length === 0) return [`${where} statement ${index + 1} has no Resource`]
    return resources.flatMap((resource) => scopedProblem(`${where} statement ${index + 1}`, resource, template) ?? [])
  })
}

function hasDeadLetterTarget(config: unknown): boolean {
  return isNode(config) && (config.Type === 'SQS' || config.Arn !== undefined || config.TargetArn !== undefined)
}

function eventProblems(fn: SamFunction, template: SamTemplate): string[] {
  const problems: string[] = []
  const events = isNode(fn.properties.Events) ? fn.properties.Events : {}
  const asyncFailureDestination =
    hasDeadLetterTarget(fn.properties.DeadLetterQueue) ||
    (isNode(fn.properties.EventInvokeConfig) &&
      isNode(fn.properties.EventInvokeConfig.DestinationConfig) &&
      isNode(fn.properties.EventInvokeConfig.DestinationConfig.OnFailure))
  for (const [name, event] of Object.entries(events)) {
    if (!isNode(event)) continue
    const properties = isNode(event.Properties) ? event.Properties : {}
    const where = `${fn.id} event ${name} (${String(event.Type)})`
    switch (event.Type) {
      case 'SQS': {
        if (!asList(properties.FunctionResponseTypes).includes('ReportBatchItemFailures')) {
          problems.push(`${where}: no FunctionResponseTypes: [ReportBatchItemFailures]`)
        }
        const [queue] = referencedResources(properties.Queue)
        const redrive = queue === undefined ? undefined : template.Resources[queue]?.Properties
        if (!isNode(redrive) || !isNode(redrive.RedrivePolicy) || !redrive.RedrivePolicy.deadLetterTargetArn) {
          problems.push(`${where}: its queue has no RedrivePolicy to a dead-letter queue`)
        }
        break
      }
      case 'Schedule':
      case 'ScheduleV2':
      case 'EventBridgeRule':
      case 'CloudWatchEvent':
        if (!hasDeadLetterTarget(properties.DeadLetterConfig)) problems.push(`${where}: no DeadLetterConfig`)
        if (!isNode(properties.RetryPolicy)) problems.push(`${where}: no RetryPolicy`)
        break
      case 'DynamoDB':
      case 'Kinesis':
        if (!isNode(properties.DestinationConfig)) problems.push(`${where}: no DestinationConfig.OnFailure`)
        break
      case 'S3':
      case 'SNS':
        if (!asyncFailureDestination) problems.push(`${where}: no DeadLetterQueue or EventInvokeConfig OnFailure`)
        break
      // HttpApi, Api and function URLs are synchronous: the caller sees the failure.
    }
  }
  return problems
}

/** Rules written as plain CloudFormation: each target needs somewhere for undeliverable events. */
function ruleProblems(template: SamTemplate): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Events::Rule')
    .flatMap(([id, resource]) =>
      asList(isNode(resource.Properties) ? resource.Properties.Targets : undefined).flatMap((target, index) =>
        isNode(target) && hasDeadLetterTarget(target.DeadLetterConfig)
          ? []
          : [`${id} target ${index + 1}: no DeadLetterConfig`],
      ),
    )
}

/** Problems of one template; an empty list when a reviewer would accept it. */
export function templateProblems(template: SamTemplate): string[] {
  const functions = functionsOf(template)
  if (functions.length === 0) return ['the template declares no AWS::Serverless::Function']
  return ruleProblems(template).concat(
    functions.flatMap((fn) => [
      ...(fn.properties.Runtime === 'nodejs24.x' ? [] : [`${fn.id}: Runtime is not nodejs24.x`]),
      ...(JSON.stringify(fn.properties.Architectures) === '["arm64"]'
        ? []
        : [`${fn.id}: Architectures is not [arm64]`]),
      ...policyProblems(fn, template),
      ...eventProblems(fn, template),
    ]),
  )
}
