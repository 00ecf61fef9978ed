// A small argument parser for the commands: positionals, `--name value`, `--name=value`, and flags.

export class UsageError extends Error {
  override name = 'UsageError'
}

export interface ParsedArgs {
  positionals: string[]
  options: Map<string, string>
  flags: Set<string>
}

export function parseArgs(args: string[], valueOptions: string[], flagOptions: string[], command: string): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], options: new Map(), flags: new Set() }
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string
    if (!arg.startsWith('--') || arg === '-') {
      parsed.positionals.push(arg)
      continue
    }
    const equals = arg.indexOf('=')
    const name = arg.slice(2, equals < 0 ? undefined : equals)
    if (flagOptions.includes(name) && equals < 0) {
      parsed.flags.add(name)
      continue
    }
    if (!valueOptions.includes(name)) {
      const known = [...valueOptions, ...flagOptions].map((option) => `--${option}`).join(', ')
      throw new UsageError(`unknown option --${name}: lamina ${command} takes ${known}.`)
    }
    const value = equals < 0 ? args[++index] : arg.slice(equals + 1)
    if (value === undefined || (equals < 0 && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value: write --${name} <value>.`)
    }
    parsed.options.set(name, value)
  }
  return parsed
}
