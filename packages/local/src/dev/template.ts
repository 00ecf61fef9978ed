// Reads an example's SAM template (template.yaml): which functions it has, where each one's
// source is, and what invokes it (HTTP routes, SQS queues, schedules, EventBridge rules).
// CloudFormation's short-form tags (!Ref, !GetAtt, !Sub…) are read as their long forms, as
// CloudFormation does, and resolved to the names the local stand-ins use (see resources.ts).
import { existsSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parse } from 'yaml'
import { devError } from './errors.js'
import {
  isNode,
  type LocalResources,
  localAccount,
  localAttribute,
  localName,
  localRegion,
  localResources,
  queueName,
} from './resources.js'

export type HttpEventFormat = 'v2' | 'v1' | 'alb' | 'url'

export interface RouteSpec {
  /** Upper case, or `ANY`. */
  method: string
  /** `/orders/{id}`, `/files/{proxy+}`; `$default` answers everything. */
  path: string
  format: HttpEventFormat
}

export interface FunctionSpec {
  /** The logical id in the template. */
  id: string
  /** `FunctionName`, or the logical id. */
  functionName: string
  /** For the runtime: `src/handler.handler`, relative to the example folder. */
  handler: string
  /** The source file the handler lives in (absolute). */
  entry: string
  timeoutSeconds: number
  memoryMb: number
  environment: Record<string, string>
  routes: RouteSpec[]
  queues: string[]
  schedules: { rule: string; expression: string }[]
  /** `EventBridgeRule` (or `CloudWatchEvent`) events: the rule's pattern, on its bus. */
  rules?: EventRuleSpec[]
  /** `FunctionUrlConfig` with `InvokeMode: RESPONSE_STREAM`. */
  streaming: boolean
}

export interface EventRuleSpec {
  /** `RuleName`, or `<function id><event name>`. */
  name: string
  /** The bus's name (`default` when the event names none). */
  bus: string
  pattern: unknown
}

export interface ExampleTemplate {
  dir: string
  file: string
  functions: FunctionSpec[]
  /** The tables, buckets and buses the dev server stands in for (none with --handler). */
  resources?: LocalResources
}

type Node = Record<string, unknown>

const intrinsics = ['Ref', 'Condition', 'Sub', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Equals', 'Not']
  .concat(['And', 'Or', 'FindInMap', 'ImportValue', 'GetAZs', 'Base64', 'Cidr', 'Transform'])
  .flatMap((name) => {
    const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`
    const scalar = (value: string) => ({ [key]: name === 'GetAtt' ? value.split('.') : value })
    const collection = (value: { toJSON(): unknown }) => ({ [key]: value.toJSON() })
    return [
      { tag: `!${name}`, resolve: scalar },
      { tag: `!${name}`, collection: 'seq' as const, resolve: collection },
      { tag: `!${name}`, collection: 'map' as const, resolve: collection },
    ]
  })

const sourceExtensions = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']

/** What a value resolves against: the template's Parameters and Resources. */
interface Scope {
  parameters: Node
  resources: Node
}

/** A value CloudFormation would resolve at deploy time, as its local stand-in string. */
function localValue(value: unknown, scope: Scope): string | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (!isNode(value)) return undefined
  if (typeof value.Ref === 'string') return reference(value.Ref, scope)
  const getAtt = value['Fn::GetAtt']
  if (Array.isArray(getAtt)) return localAttribute(String(getAtt[0]), getAtt.slice(1).join('.'), scope.resources)
  const join = value['Fn::Join']
  if (Array.isArray(join) && Array.isArray(join[1])) {
    const parts = join[1].map((part) => localValue(part, scope))
    return parts.every((part) => part !== undefined) ? parts.join(String(join[0])) : undefined
  }
  const sub = value['Fn::Sub']
  const [text, variables] = Array.isArray(sub) ? sub : [sub, {}]
  if (typeof text !== 'string') return undefined
  return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
    if (isNode(variables) && Object.hasOwn(variables, name)) return localValue(variables[name], scope) ?? name
    const dot = name.indexOf('.')
    return dot > 0 ? localAttribute(name.slice(0, dot), name.slice(dot + 1), scope.resources) : reference(name, scope)
  })
}

function reference(name: string, { parameters, resources }: Scope): string {
  if (name === 'AWS::Region') return localRegion
  if (name === 'AWS::AccountId') return localAccount
  if (name === 'AWS::Partition') return 'aws'
  if (name === 'AWS::URLSuffix') return 'amazonaws.com'
  if (name.startsWith('AWS::')) return name.slice(5)
  const parameter = parameters[name]
  if (isNode(parameter) && parameter.Default !== undefined) return String(parameter.Default)
  const resource = resources[name]
  return isNode(resource) ? localName(name, resource) : name
}

const templateName = (dir: string) => join(relative(process.cwd(), dir) || '.', 'template.yaml')

function findEntry(dir: string, id: string, codeUri: string, handler: string, metadata: Node): string {
  const lamina = isNode(metadata.Lamina) ? metadata.Lamina.Entry : undefined
  if (lamina !== undefined) {
    const entry = resolve(dir, String(lamina))
    if (existsSync(entry)) return entry
    throw devError(
      `function ${id}: its Metadata.Lamina.Entry ${relative(dir, entry)} does not exist`,
      `create it, or fix Metadata.Lamina.Entry (relative to the template's folder) in ${templateName(dir)}`,
    )
  }
  const declared = isNode(metadata.BuildProperties) ? metadata.BuildProperties.EntryPoints : undefined
  const candidates = Array.isArray(declared)
    ? [resolve(dir, codeUri, String(declared[0]))]
    : sourceExtensions.map((extension) =>
        resolve(dir, codeUri, `${handler.slice(0, handler.lastIndexOf('.'))}${extension}`),
      )
  const found = candidates.find((candidate) => existsSync(candidate))
  if (found) return found
  throw devError(
    `function ${id}: its handler source ${relative(dir, candidates[0] as string)} does not exist`,
    `create it, or fix ${Array.isArray(declared) ? 'Metadata.BuildProperties.EntryPoints' : 'Handler/CodeUri (or set Metadata.Lamina.Entry)'} in ${templateName(dir)}`,
  )
}

/** `my-bus`, `!Ref Bus` or an event bus ARN: the bus's local name. */
function busName(value: unknown, scope: Scope): string {
  const name = localValue(value, scope) ?? 'default'
  return name.includes(':event-bus/') ? (name.split(':event-bus/').pop() as string) : name
}

function eventsOf(id: string, events: unknown, streaming: boolean, urlConfig: boolean, scope: Scope) {
  const routes: RouteSpec[] = []
  const queues: string[] = []
  const schedules: FunctionSpec['schedules'] = []
  const rules: EventRuleSpec[] = []
  for (const [name, event] of Object.entries(isNode(events) ? events : {})) {
    if (!isNode(event)) continue
    const properties = isNode(event.Properties) ? event.Properties : {}
    if (event.Type === 'HttpApi' || event.Type === 'Api') {
      const format = event.Type === 'Api' || properties.PayloadFormatVersion === '1.0' ? 'v1' : 'v2'
      const method = String(properties.Method ?? 'ANY').toUpperCase()
      routes.push({ method: method === '*' ? 'ANY' : method, path: String(properties.Path ?? '$default'), format })
    } else if (event.Type === 'SQS') queues.push(queueName(properties.Queue, scope.resources))
    else if (event.Type === 'Schedule' || event.Type === 'ScheduleV2') {
      const expression = properties.Schedule ?? properties.ScheduleExpression
      if (typeof expression === 'string') schedules.push({ rule: String(properties.Name ?? name), expression })
    } else if ((event.Type === 'EventBridgeRule' || event.Type === 'CloudWatchEvent') && isNode(properties.Pattern)) {
      rules.push({
        name: String(properties.RuleName ?? `${id}${name}`),
        bus: busName(properties.EventBusName, scope),
        pattern: properties.Pattern,
      })
    }
  }
  if (routes.length === 0 && urlConfig) routes.push({ method: 'ANY', path: '$default', format: 'url' })
  return { routes, queues, schedules, rules, streaming }
}

function readTemplate(file: string): Node {
  let document: unknown
  try {
    document = parse(readFileSync(file, 'utf8'), { customTags: intrinsics })
  } catch (error) {
    throw devError(`${file} is not valid YAML (${(error as Error).message.split('\n')[0]})`, 'fix the template')
  }
  if (!isNode(document) || !isNode(document.Resources)) {
    throw devError(`${file} has no Resources`, 'add an AWS::Serverless::Function under Resources')
  }
  return document
}

/** The functions of the SAM template in `dir`, with their sources and event sources. */
export function loadTemplate(dir: string): ExampleTemplate {
  const file = join(dir, 'template.yaml')
  if (!existsSync(file)) {
    throw devError(
      `no template.yaml in ${dir}`,
      'add a SAM template with an AWS::Serverless::Function, or pass --handler <file.export>',
    )
  }
  const document = readTemplate(file)
  const resources = document.Resources as Node
  const scope: Scope = { parameters: isNode(document.Parameters) ? document.Parameters : {}, resources }
  const globals = isNode(document.Globals) && isNode(document.Globals.Function) ? document.Globals.Function : {}
  const functions: FunctionSpec[] = []
  for (const [id, resource] of Object.entries(resources)) {
    if (!isNode(resource) || resource.Type !== 'AWS::Serverless::Function') continue
    const properties: Node = { ...globals, ...(isNode(resource.Properties) ? resource.Properties : {}) }
    functions.push(
      functionSpec(dir, id, properties, isNode(resource.Metadata) ? resource.Metadata : {}, scope, globals),
    )
  }
  if (functions.length === 0) {
    throw devError(`${file} declares no AWS::Serverless::Function`, 'add one under Resources')
  }
  return { dir, file, functions, resources: localResources(resources) }
}

function functionSpec(dir: string, id: string, properties: Node, metadata: Node, scope: Scope, globals: Node) {
  if (typeof properties.Handler !== 'string' || !properties.Handler.includes('.')) {
    throw devError(`function ${id} has no Handler of the form file.export`, 'set Handler: handler.handler')
  }
  const handlerName = properties.Handler.slice(properties.Handler.lastIndexOf('.') + 1)
  const entry = findEntry(dir, id, String(properties.CodeUri ?? '.'), properties.Handler, metadata)
  const withoutExtension = relative(dir, entry)
    .replace(/\.[cm]?[jt]s$/, '')
    .split('\\')
    .join('/')
  const urlConfig = isNode(properties.FunctionUrlConfig) ? properties.FunctionUrlConfig : undefined
  const variables = (node: unknown) =>
    isNode(node) && isNode(node.Variables) ? Object.entries(node.Variables) : ([] as [string, unknown][])
  const environment: Record<string, string> = {}
  for (const [key, value] of [...variables(globals.Environment), ...variables(properties.Environment)]) {
    const local = localValue(value, scope)
    if (local !== undefined) environment[key] = local
  }
  return {
    id,
    functionName: localValue(properties.FunctionName, scope) ?? id,
    handler: `${withoutExtension}.${handlerName}`,
    entry,
    timeoutSeconds: Number(properties.Timeout ?? 3),
    memoryMb: Number(properties.MemorySize ?? 128),
    environment,
    ...eventsOf(id, properties.Events, urlConfig?.InvokeMode === 'RESPONSE_STREAM', urlConfig !== undefined, scope),
  }
}

/** A function given on the command line (`--handler src/handler.handler`), with no template. */
export function functionFromHandler(dir: string, handler: string): ExampleTemplate {
  const spec = functionSpec(
    dir,
    'Function',
    { Handler: handler, CodeUri: '.' },
    {},
    { parameters: {}, resources: {} },
    {},
  )
  return { dir, file: '', functions: [{ ...spec, routes: [{ method: 'ANY', path: '$default', format: 'v2' }] }] }
}
