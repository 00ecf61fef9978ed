#!/usr/bin/env node
// The `lamina` command: `lamina dev`, `lamina invoke`, `lamina build`.
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const usage = `Usage: lamina <command> [options]

Commands:
  dev [example-dir]             serve an example's functions over HTTP, with the inspector at /_lamina
  invoke <handler> --event <f>  run one invocation as Lambda runs it and print the result
  build [example-dir]           bundle each function of the SAM template with esbuild

Run lamina <command> --help for a command's options.`

export interface CliIo {
  out?: (line: string) => void
  err?: (line: string) => void
}

type Command = (args: string[], io: CliIo) => Promise<number>

// Loaded on demand: `lamina dev` does not pay for esbuild, `lamina build` not for the server.
// invoke and build write to the process's own streams (their output depends on whether it is a
// terminal); dev's lines go where the caller says.
const commands: Record<string, () => Promise<Command>> = {
  dev: async () => (await import('./dev/command.js')).devCommand,
  invoke: async () => (args) => import('./commands/invoke.js').then(({ invokeCommand }) => invokeCommand(args)),
  build: async () => (args) => import('./commands/build.js').then(({ buildCommand }) => buildCommand(args)),
}

/** Runs the command line `args` (without `node lamina`); resolves with the exit code. */
export async function main(args: string[], io: CliIo = {}): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`))
  const err = io.err ?? ((line: string) => process.stderr.write(`${line}\n`))
  const [name, ...rest] = args
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(usage)
    return name === undefined ? 2 : 0
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined
  if (!load) {
    err(`lamina: unknown command "${name}": run lamina --help for the commands (dev, invoke, build)`)
    return 2
  }
  try {
    return await (await load())(rest, { out, err })
  } catch (error) {
    err(`lamina ${name}: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}

const invokedDirectly = () => {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
