// Reads the shell commands an example README tells a reader to type, so a test can type them.
// The convention (examples/README.md says it for authors): every ```sh block is typed from the
// repository root, line by line, in order; `cd` carries over to later lines as in a terminal; a
// command that takes `--port N` is a server that keeps running in the background; lines for
// tools that need an account or an install from outside npm (sam, aws, func, gcloud) are shown,
// not run.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** Tools the README may show that need an AWS, Azure or Google account, or a non-npm install. */
export const outsideTools = ['sam', 'aws', 'func', 'gcloud'] as const

export type Step =
  | { kind: 'run'; command: string; cwd: string; line: number }
  | { kind: 'server'; command: string; cwd: string; line: number; port: number; portInCommand: boolean }
  | { kind: 'shown'; command: string; line: number; tool: string }

/** The ```sh blocks of a README as commands, continuation lines joined, comments dropped. */
export function shellCommands(markdown: string): { command: string; line: number }[] {
  const commands: { command: string; line: number }[] = []
  let inBlock = false
  let pending: { command: string; line: number } | undefined
  for (const [index, text] of markdown.split('\n').entries()) {
    if (/^```/.test(text)) {
      inBlock = !inBlock && /^```sh\b/.test(text)
      continue
    }
    if (!inBlock) continue
    const trimmed = text.trim()
    if (pending === undefined && (trimmed === '' || trimmed.startsWith('#'))) continue
    const part = trimmed.endsWith('\\') ? trimmed.slice(0, -1).trimEnd() : trimmed
    pending =
      pending === undefined ? { command: part, line: index + 1 } : { ...pending, command: `${pending.command} ${part}` }
    if (!trimmed.endsWith('\\')) {
      commands.push(pending)
      pending = undefined
    }
  }
  return commands
}

/** The text an `npm run <script>` line runs, read from the package.json where it is typed. */
function npmScript(command: string, cwd: string): string {
  const match = /^npm (?:run(?:-script)? )?([\w:.-]+)/.exec(command)
  const file = join(cwd, 'package.json')
  if (!match || !existsSync(file)) return ''
  const scripts = (JSON.parse(readFileSync(file, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {}
  return scripts[match[1] === 'start' || match[1] === 'test' ? match[1] : (match[1] as string)] ?? ''
}

const portOf = (text: string) => /--port[ =](\d+)/.exec(text)?.[1]

/** What the test does with each command of a README, typed from `root`. */
export function readmeSteps(markdown: string, root: string): Step[] {
  let cwd = root
  return shellCommands(markdown).map(({ command, line }): Step => {
    const first = command.split(/\s+/)[0] as string
    const script = npmScript(command, cwd)
    const tool = outsideTools.find((name) => first === name || new RegExp(`(^|[;&|]\\s*)${name}\\s`).test(script))
    if (tool !== undefined) return { kind: 'shown', command, line, tool }
    const typedIn = cwd
    const cd = /^cd (\S+)$/.exec(command)
    if (cd) cwd = resolve(cwd, cd[1] as string)
    const port = portOf(command) ?? portOf(script)
    if (port !== undefined) {
      return {
        kind: 'server',
        command,
        cwd: typedIn,
        line,
        port: Number(port),
        portInCommand: portOf(command) !== undefined,
      }
    }
    return { kind: 'run', command, cwd: typedIn, line }
  })
}
