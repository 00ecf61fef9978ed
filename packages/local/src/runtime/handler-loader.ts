// Finds and loads a handler the way Lambda's Node runtime does: `_HANDLER` is `path/file.export`
// (the export may be nested, `file.a.b`), the file is looked up under LAMBDA_TASK_ROOT with .js,
// .mjs and .cjs (and .ts, .mts, .cts, which tsx loads locally), an ES module or CommonJS.
import { existsSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

export const moduleExtensions = ['', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'] as const
export const streamingSymbol = Symbol.for('aws.lambda.runtime.handler.streaming')
export const highWaterMarkSymbol = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark')

/** An error Lambda's runtime reports with a `Runtime.*` type. */
export class RuntimeError extends Error {
  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = name
  }
}

export interface HandlerName {
  /** Without extension, relative to the task root. */
  modulePath: string
  exportPath: string
}

export function parseHandlerName(handler: string): HandlerName {
  const file = basename(handler)
  const dot = file.indexOf('.')
  if (dot <= 0 || dot === file.length - 1) {
    throw new RuntimeError(
      'Runtime.MalformedHandlerName',
      `Bad handler "${handler}": write it as path/to/file.export (for example src/handler.handler).`,
    )
  }
  const folder = dirname(handler)
  return {
    modulePath: folder === '.' ? file.slice(0, dot) : join(folder, file.slice(0, dot)),
    exportPath: file.slice(dot + 1),
  }
}

/** The file `_HANDLER` names, or undefined when none of the extensions exists. */
export function findHandlerFile(taskRoot: string, handler: string): string | undefined {
  const base = resolve(taskRoot, parseHandlerName(handler).modulePath)
  for (const extension of moduleExtensions) {
    const candidate = `${base}${extension}`
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return undefined
}

export type UserHandler = ((...args: any[]) => unknown) & {
  [streamingSymbol]?: unknown
  [highWaterMarkSymbol]?: unknown
}

const find = (exportPath: string, root: unknown) =>
  exportPath
    .split('.')
    .reduce<unknown>(
      (found, key) =>
        found !== null && (typeof found === 'object' || typeof found === 'function') ? (found as any)[key] : undefined,
      root,
    )

/** Imports the handler's module and returns the exported function; throws a RuntimeError saying what to fix. */
export async function loadHandler(taskRoot: string, handler: string): Promise<UserHandler> {
  const { modulePath, exportPath } = parseHandlerName(handler)
  const file = findHandlerFile(taskRoot, handler)
  if (file === undefined) {
    throw new RuntimeError(
      'Runtime.ImportModuleError',
      `Cannot find module '${modulePath}': no ${modulePath}.js, .mjs, .cjs, .ts, .mts or .cts under ${taskRoot}. ` +
        'Check the handler path (path/to/file.export, relative to the function root).',
    )
  }
  let module: unknown
  try {
    module = await import(pathToFileURL(file).href)
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new RuntimeError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message} (in ${file})`, {
        cause: error,
      })
    }
    throw error
  }
  let found = find(exportPath, module)
  if (found === undefined && module !== null && typeof module === 'object' && 'default' in module) {
    found = find(exportPath, (module as { default: unknown }).default)
  }
  if (found === undefined) {
    throw new RuntimeError(
      'Runtime.HandlerNotFound',
      `${handler} is undefined or not exported: export a function named ${exportPath} from ${basename(file)}.`,
    )
  }
  if (typeof found !== 'function') {
    throw new RuntimeError(
      'Runtime.HandlerNotFound',
      `${handler} is not a function (it is ${found === null ? 'null' : typeof found}): export the handler function as ${exportPath}.`,
    )
  }
  return found as UserHandler
}

export const isStreaming = (handler: UserHandler) => handler[streamingSymbol] === 'response'
