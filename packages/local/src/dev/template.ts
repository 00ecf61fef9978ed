// Reads an example's SAM template (template.yaml): which functions it has, where each one's
// source is, and what invokes it (HTTP routes, SQS queues, schedules). CloudFormation's short-form
// tags (!Ref, !GetAtt, !Sub…) are read as their long forms, as CloudFormation does.
import { existsSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parse } from 'yaml'
import { devError } from './errors.js'

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
  /** `FunctionUrlConfig` with `InvokeMode: RESPONSE_STREAM`. */
  streaming: boolean
}

export interface ExampleTemplate {
  dir: string
  file: string
  functions: FunctionSpec[]
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
const region = 'us-east-1'

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A value CloudFormation would resolve at deploy time, as a local stand-in string. */
function localValue(value: unknown, parameters: Node): string | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (!isNode(value)) return undefined
  if (typeof value.Ref === 'string') return reference(value.Ref, parameters)
  const getAtt = value['Fn::GetAtt']
  if (Array.isArray(getAtt)) return getAtt.join('.')
  const sub = value['Fn::Sub']
  if (typeof sub === 'string') return sub.replace(/\$\{([^}]+)\}/g, (_, name: string) => reference(name, parameters))
  return undefined
}

function reference(name: string, parameters: Node): string {
  if (name === 'AWS::Region') return region
  if (name === 'AWS::AccountId') return '123456789012'
  if (name.startsWith('AWS::')) return name.slice(5)
  const parameter = parameters[name]
  if (isNode(parameter) && parameter.Default !== undefined) return String(parameter.Default)
  return name
}

/** `!GetAtt Queue.Arn`, `!Ref Queue` or an ARN: the queue's name. */
function queueName(value: unknown): string {
  if (isNode(value) && Array.isArray(value['Fn::GetAtt'])) return String(value['Fn::GetAtt'][0])
  if (isNode(value) && typeof value.Ref === 'string') return value.Ref
  return String(value).split(':').pop() as string
}

function findEntry(dir: string, id: string, codeUri: string, handler: string, metadata: Node): string {
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
    `create it, or fix Handler/CodeUri (or Metadata.BuildProperties.EntryPoints) in ${join(relative(process.cwd(), dir) || '.', 'template.yaml')}`,
  )
}

function eventsOf(events: unknown, streaming: boolean, urlConfig: boolean) {
  const routes: RouteSpec[] = []
  const queues: string[] = []
  const schedules: FunctionSpec['schedules'] = []
  for (const [name, event] of Object.entries(isNode(events) ? events : {})) {
    if (!isNode(event)) continue
    const properties = isNode(event.Properties) ? event.Properties : {}
    if (event.Type === 'HttpApi' || event.Type === 'Api') {
      const format = event.Type === 'Api' || properties.PayloadFormatVersion === '1.0' ? 'v1' : 'v2'
      const method = String(properties.Method ?? 'ANY').toUpperCase()
      routes.push({ method: method === '*' ? 'ANY' : method, path: String(properties.Path ?? '$default'), format })
    } else if (event.Type === 'SQS') queues.push(queueName(properties.Queue))
    else if (event.Type === 'Schedule' || event.Type === 'ScheduleV2') {
      const expression = properties.Schedule ?? properties.ScheduleExpression
      if (typeof expression === 'string') schedules.push({ rule: String(properties.Name ?? name), expression })
    }
  }
  if (routes.length === 0 && urlConfig) routes.push({ method: 'ANY', path: '$default', format: 'url' })
  return { routes, queues, schedules, streaming }
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
  const parameters = isNode(document.Parameters) ? document.Parameters : {}
  const globals = isNode(document.Globals) && isNode(document.Globals.Function) ? document.Globals.Function : {}
  const functions: FunctionSpec[] = []
  for (const [id, resource] of Object.entries(document.Resources as Node)) {
    if (!isNode(resource) || resource.Type !== 'AWS::Serverless::Function') continue
    const properties: Node = { ...globals, ...(isNode(resource.Properties) ? resource.Properties : {}) }
    functions.push(
      functionSpec(dir, id, properties, isNode(resource.Metadata) ? resource.Metadata : {}, parameters, globals),
    )
  }
  if (functions.length === 0) {
    throw devError(`${file} declares no AWS::Serverless::Function`, 'add one under Resources')
  }
  return { dir, file, functions }
}

function functionSpec(dir: string, id: string, properties: Node, metadata: Node, parameters: Node, globals: Node) {
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
    const local = localValue(value, parameters)
    if (local !== undefined) environment[key] = local
  }
  return {
    id,
    functionName: localValue(properties.FunctionName, parameters) ?? id,
    handler: `${withoutExtension}.${handlerName}`,
    entry,
    timeoutSeconds: Number(properties.Timeout ?? 3),
    memoryMb: Number(properties.MemorySize ?? 128),
    environment,
    ...eventsOf(properties.Events, urlConfig?.InvokeMode === 'RESPONSE_STREAM', urlConfig !== undefined),
  }
}

/** A function given on the command line (`--handler src/handler.handler`), with no template. */
export function functionFromHandler(dir: string, handler: string): ExampleTemplate {
  const spec = functionSpec(dir, 'Function', { Handler: handler, CodeUri: '.' }, {}, {}, {})
  return { dir, file: '', functions: [{ ...spec, routes: [{ method: 'ANY', path: '$default', format: 'v2' }] }] }
}
