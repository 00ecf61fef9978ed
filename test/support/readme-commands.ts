// Reads the shell commands an example README tells a reader to type, so a test can type them.
// The convention (examples/README.md says it for authors): every ```sh block is typed from the
// repository root, line by line, in order; `cd` carries over to the later lines of its block, as
// in a terminal; a command that takes `--port N` is a server that keeps running in the
// background. Shown but not run: lines for tools that need an account or an install from outside
// npm (sam, aws, func, gcloud, or an npm script that runs one) and the lines after it in its block
// (they talk to what it started or deployed), and lines with a <placeholder> to fill in.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** Tools the README may show that need an AWS, Azure or Google account, or a non-npm install. */
export const outsideTools = ['sam', 'aws', 'func', 'gcloud'] as const

export type Step =
  | { kind: 'run'; command: string; cwd: string; line: number }
  | { kind: 'server'; command: string; cwd: string; line: number; port: number; portInCommand: boolean }
  | { kind: 'shown'; command: string; line: number; reason: string }

/** The ```sh blocks of a README as commands, continuation lines joined, comments dropped. */
export function shellCommands(markdown: string): { command: string; line: number; block: number }[] {
  const commands: { command: string; line: number; block: number }[] = []
  let block = 0
  let inBlock = false
  let pending: { command: string; line: number; block: number } | undefined
  for (const [index, text] of markdown.split('\n').entries()) {
    if (/^```/.test(text)) {
      inBlock = !inBlock && /^```sh\b/.test(text)
      if (inBlock) block += 1
      continue
    }
    if (!inBlock) continue
    const trimmed = text.trim()
    if (pending === undefined && (trimmed === '' || trimmed.startsWith('#'))) continue
    // A trailing comment (` # …`, no quote after it) is the reader's note, not part of the command.
    const uncommented = trimmed.replace(/\s+# [^'"]*$/, '')
    const part = uncommented.endsWith('\\') ? uncommented.slice(0, -1).trimEnd() : uncommented
    pending =
      pending === undefined
        ? { command: part, line: index + 1, block }
        : { ...pending, command: `${pending.command} ${part}` }
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
  let block = 0
  let blockShown = false
  return shellCommands(markdown).map(({ command, line, block: blockOfLine }): Step => {
    const first = blockOfLine !== block
    if (first) {
      block = blockOfLine
      cwd = root
    }
    const script = npmScript(command, cwd)
    const word = command.split(/\s+/)[0] as string
    const tool = outsideTools.find((name) => word === name || new RegExp(`(^|[;&|]\\s*)${name}\\s`).test(script))
    if (first) blockShown = false
    if (tool !== undefined) {
      blockShown = true
      return { kind: 'shown', command, line, reason: `needs ${tool}` }
    }
    if (blockShown) return { kind: 'shown', command, line, reason: 'it follows a command that is not run' }
    if (/<[A-Za-z][\w -]*>/.test(command)) return { kind: 'shown', command, line, reason: 'has a placeholder' }
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
