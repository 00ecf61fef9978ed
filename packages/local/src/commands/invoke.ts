// `lamina invoke <handler> --event <file|-> [--timeout s] [--env-file f]`: one invocation through
// the emulator, as Lambda would run it; prints the result, the logs and the time in each middleware
// (pretty in a terminal, one JSON document when piped).
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { relative, resolve } from 'node:path'
import { findHandlerFile, moduleExtensions, parseHandlerName } from '../runtime/handler-loader.js'
import { startLocalFunction } from '../runtime/local-function.js'
import type { InvocationResult } from '../runtime/types.js'
import { parseArgs, UsageError } from './args.js'
import { parseEnvFile } from './env-file.js'
import { colors, formatResult, plain } from './format.js'
import { type CommandIo, processIo } from './io.js'

const usage =
  'lamina invoke <path/to/file.export> [--event <file|->] [--timeout <seconds>] [--env-file <file>] [--json|--pretty]'

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = ''
  stream.setEncoding('utf8')
  for await (const chunk of stream) text += chunk
  return text
}

/** `src/handler.ts` means `src/handler.handler`, as a shorthand; anything else is Lambda's `file.export`. */
function handlerName(arg: string, cwd: string): string {
  const extension = moduleExtensions.find((candidate) => candidate !== '' && arg.endsWith(candidate))
  if (extension !== undefined && existsSync(resolve(cwd, arg))) return `${arg.slice(0, -extension.length)}.handler`
  parseHandlerName(arg)
  if (findHandlerFile(cwd, arg) === undefined) {
    const { modulePath } = parseHandlerName(arg)
    throw new UsageError(
      `no file for handler ${arg}: looked for ${modulePath}.js, .mjs, .cjs, .ts, .mts and .cts under ${cwd}. ` +
        'Pass path/to/file.export relative to this folder (for example src/handler.handler).',
    )
  }
  return arg
}

async function readEvent(source: string | undefined, stdin: NodeJS.ReadableStream, cwd: string): Promise<unknown> {
  if (source === undefined) return {}
  const where = source === '-' ? 'the event on stdin' : source
  let text: string
  try {
    text = source === '-' ? await readAll(stdin) : await readFile(resolve(cwd, source), 'utf8')
  } catch (error) {
    throw new UsageError(
      `cannot read the event file ${source} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the path, or pass --event - to read it from stdin.`,
    )
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(
      `${where} is not JSON (${(error as Error).message}): fix it, or write the event as a JSON document.`,
    )
  }
}

async function readEnvFile(file: string | undefined, cwd: string): Promise<Record<string, string>> {
  if (file === undefined) return {}
  let text: string
  try {
    text = await readFile(resolve(cwd, file), 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read the env file ${file} (${(error as NodeJS.ErrnoException).code}): check the path.`)
  }
  try {
    return parseEnvFile(text, file)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 3
  const seconds = Number(value)
  if (!(Number.isFinite(seconds) && seconds > 0 && seconds <= 900)) {
    throw new UsageError(
      `--timeout ${value} is not a number of seconds from 1 to 900 (Lambda's range): write for example --timeout 10.`,
    )
  }
  return seconds
}

/** The first stack frame in the user's code, as `file:line:column` relative to cwd. */
function userFrame(result: InvocationResult, cwd: string): string | undefined {
  for (const frame of result.error?.stackTrace ?? []) {
    const match = /\(?(?:file:\/\/)?(\/[^():]+):(\d+):(\d+)\)?$/.exec(frame.trim())
    if (match !== null && !match[1]!.includes('/node_modules/') && match[1]!.startsWith(cwd)) {
      return `${relative(cwd, match[1]!)}:${match[2]}:${match[3]}`
    }
  }
  return undefined
}

/** One line for a function that could not start: what is wrong and what to do. */
function initFailure(handler: string, result: InvocationResult, cwd: string): string {
  const error = result.error!
  const file = findHandlerFile(cwd, handler)
  const shown = file === undefined ? handler : relative(cwd, file)
  switch (error.errorType) {
    case 'Runtime.HandlerNotFound':
    case 'Runtime.ImportModuleError':
    case 'Runtime.MalformedHandlerName':
    case 'Runtime.CallbackHandlerDeprecated':
      return error.errorMessage
    case 'Runtime.UserCodeSyntaxError':
      return `${shown} does not parse (${error.errorMessage}): fix the syntax error.`
    case 'Runtime.InitTimeout':
      return `${shown} did not finish loading: ${error.errorMessage}`
    case 'Runtime.ExitError':
      return `${shown} exited while loading (${error.errorMessage.replace(/^.*Error: /, '')}): look for process.exit() in its top-level code.`
    default: {
      const at = userFrame(result, cwd)
      return `${shown} threw while loading (${error.errorType}: ${error.errorMessage})${at === undefined ? '' : ` at ${at}`}: fix its top-level code.`
    }
  }
}

export async function invokeCommand(args: string[], io: Partial<CommandIo> = {}): Promise<number> {
  const { stdout, stderr, stdin, cwd } = { ...processIo(), ...io }
  let handler: string
  let event: unknown
  let env: Record<string, string>
  let timeoutSeconds: number
  let json: boolean
  try {
    const parsed = parseArgs(args, ['event', 'timeout', 'env-file'], ['json', 'pretty'], 'invoke')
    if (parsed.positionals.length !== 1) {
      throw new UsageError(
        `${parsed.positionals.length === 0 ? 'which handler?' : 'one handler at a time.'} Usage: ${usage}`,
      )
    }
    handler = handlerName(parsed.positionals[0] as string, cwd)
    timeoutSeconds = parseTimeout(parsed.options.get('timeout'))
    env = await readEnvFile(parsed.options.get('env-file'), cwd)
    event = await readEvent(parsed.options.get('event'), stdin, cwd)
    json = parsed.flags.has('json') || (!parsed.flags.has('pretty') && stdout.isTTY !== true)
  } catch (error) {
    stderr.write(`lamina invoke: ${error instanceof UsageError ? error.message : (error as Error).message}\n`)
    return 2
  }

  const fn = await startLocalFunction({ handler, cwd, env, timeoutSeconds })
  let result: InvocationResult
  try {
    result = await fn.invoke(event)
  } finally {
    await fn.close()
  }
  if (result.phase === 'init') {
    stderr.write(`lamina invoke: ${initFailure(handler, result, cwd)}\n`)
    return 1
  }
  stdout.write(
    json ? `${JSON.stringify(result)}\n` : formatResult(handler, result, stdout.isTTY === true ? colors : plain),
  )
  return result.error === undefined ? 0 : 1
}
