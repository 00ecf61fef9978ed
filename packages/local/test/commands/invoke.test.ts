// `lamina invoke` end to end: the command with its own streams (and, at the end, the real CLI).
import { execFile } from 'node:child_process'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseArgs } from '../../src/commands/args.js'
import { parseEnvFile } from '../../src/commands/env-file.js'
import { invokeCommand } from '../../src/commands/invoke.js'
import { syntaxErrorFolder } from '../support/broken-fixtures.js'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const root = fileURLToPath(new URL('../../../../', import.meta.url))

async function invoke(args: string[], options: { tty?: boolean; stdin?: string; cwd?: string } = {}) {
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty ?? false })
  const stderr = new PassThrough()
  const stdin = new PassThrough()
  stdin.end(options.stdin ?? '')
  let out = ''
  let err = ''
  stdout.on('data', (chunk) => {
    out += chunk
  })
  stderr.on('data', (chunk) => {
    err += chunk
  })
  const code = await invokeCommand(args, { stdout, stderr, stdin, cwd: options.cwd ?? fixtures })
  return { code, out, err }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('lamina invoke', () => {
  it('prints the result as one JSON document when piped', async () => {
    // Act
    const { code, out, err } = await invoke(['echo.handler', '--event', 'events/order.json'])

    // Assess
    expect(code).toBe(0)
    expect(err).toBe('')
    const result = JSON.parse(out)
    expect(result).toMatchObject({
      cold: true,
      timedOut: false,
      response: { event: { order: 7, items: ['a', 'b'] } },
      logs: ['echo {"order":7,"items":["a","b"]}'],
    })
  })

  it('shows result, logs and the duration split by middleware in a terminal', async () => {
    const { code, out } = await invoke(['timed.ts', '--event', '-'], { tty: true, stdin: '{"name":"ada"}' })
    expect(code).toBe(0)
    const text = out.replace(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g'), '')
    expect(text).toMatch(/^✓ ok {2}timed\.handler {2}[\d.]+ ms {2}cold {2}[0-9a-f-]{36}\n/)
    expect(text).toContain("{ hello: 'ada' }")
    expect(text).toContain('Duration by middleware')
    expect(text).toMatch(/ {2}before {3}first +[\d.]+ ms {2}│ *█+ *│/)
    expect(text).toMatch(/ {2}handler {2}handler +[\d.]+ ms/)
  })

  it('formats Powertools lines as level, message and keys with --pretty', async () => {
    const { code, out } = await invoke(['failing.handler', '--event', 'events/order.json', '--pretty'])
    expect(code).toBe(1)
    expect(out).toMatch(/^✗ OrderRejected {2}failing\.handler/)
    expect(out).toContain('  OrderRejected: order 7 rejected\n')
    expect(out).toContain('Logs\n  about to fail\n')
  })

  it('passes the env file to the function', async () => {
    const { out } = await invoke(['context.handler', '--env-file', 'events/local.env', '--json'])
    expect(JSON.parse(out).response.env.GREETING).toBe('hello there')
  })

  it('kills a function past --timeout and exits non-zero', async () => {
    const { code, out } = await invoke(['hangs.handler', '--event', '-', '--timeout', '1'], { stdin: '{"attempt":1}' })
    expect(code).toBe(1)
    expect(JSON.parse(out)).toMatchObject({ timedOut: true, error: { errorType: 'Sandbox.Timedout' } })
  })

  it.each([
    [[], /^lamina invoke: which handler\? Usage: lamina invoke/],
    [['a.handler', 'b.handler'], /^lamina invoke: one handler at a time\./],
    [
      ['missing.handler'],
      /^lamina invoke: no file for handler missing\.handler: looked for missing\.js, .*Pass path\/to\/file\.export/,
    ],
    [['nodot'], /^lamina invoke: Bad handler "nodot": write it as path\/to\/file\.export/],
    [
      ['init-throws.handler'],
      /^lamina invoke: init-throws\.mjs threw while loading \(Error: TABLE_NAME is not set: set it in the function configuration\.\) at init-throws\.mjs:1:7: fix its top-level code\./,
    ],
    [
      ['not-function.handler'],
      /^lamina invoke: not-function\.handler is not a function \(it is object\): export the handler function as handler\./,
    ],
    [
      ['echo.missing'],
      /^lamina invoke: echo\.missing is undefined or not exported: export a function named missing from echo\.mjs\./,
    ],
    [
      ['echo.handler', '--event', 'events/not-json.txt'],
      /^lamina invoke: events\/not-json\.txt is not JSON \(.*\): fix it, or write the event as a JSON document\./,
    ],
    [
      ['echo.handler', '--event', 'events/none.json'],
      /^lamina invoke: cannot read the event file events\/none\.json \(ENOENT\): check the path, or pass --event -/,
    ],
    [['echo.handler', '--timeout', 'soon'], /^lamina invoke: --timeout soon is not a number of seconds from 1 to 900/],
    [['echo.handler', '--event'], /^lamina invoke: --event needs a value: write --event <value>\./],
    [
      ['echo.handler', '--events', 'x'],
      /^lamina invoke: unknown option --events: lamina invoke takes --event, --timeout, --env-file, --json, --pretty\./,
    ],
    [
      ['echo.handler', '--env-file', 'events/broken.env'],
      /^lamina invoke: events\/broken\.env line 2 is not KEY=value: fix or remove it\./,
    ],
    [
      ['echo.handler', '--env-file', 'events/none.env'],
      /^lamina invoke: cannot read the env file events\/none\.env \(ENOENT\): check the path\./,
    ],
  ])('bad input %j: one line saying what is wrong and what to do, non-zero exit', async (args, message) => {
    const { code, out, err } = await invoke(args)
    expect(code).not.toBe(0)
    expect(out).toBe('')
    expect(err).toMatch(message)
    expect(err.trimEnd().split('\n')).toHaveLength(1)
  })

  it('names a module that does not parse', async () => {
    const { code, err } = await invoke(['syntax-error.handler'], { cwd: await syntaxErrorFolder() })
    expect(code).toBe(1)
    expect(err).toMatch(
      /^lamina invoke: syntax-error\.mjs does not parse \(SyntaxError: .*\): fix the syntax error\.\n$/,
    )
  })

  it('names a module that exits while it loads', async () => {
    const { code, out, err } = await invoke(['init-exits.handler'])
    expect(code).toBe(1)
    expect(out).toBe('')
    expect(err).toBe(
      'lamina invoke: init-exits.mjs exited while loading (Runtime exited with error: exit status 4): look for process.exit() in its top-level code.\n',
    )
  })

  it('names a module whose init does not finish, and what to look for', async () => {
    // Prepare: the 10 s init limit on a faked clock
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })

    // Act
    const pending = invoke(['init-hangs.handler'])
    await vi.advanceTimersByTimeAsync(10_000)
    const { code, err } = await pending

    // Assess
    expect(code).toBe(1)
    expect(err).toBe(
      "lamina invoke: init-hangs.mjs did not finish loading: The function's init did not finish in 10 s: look for a top-level await that never settles.\n",
    )
  })

  it('reads a stdin event that is not JSON as bad input', async () => {
    const { code, err } = await invoke(['echo.handler', '--event', '-'], { stdin: 'nope' })
    expect(code).toBe(2)
    expect(err).toMatch(/^lamina invoke: the event on stdin is not JSON/)
  })

  it('runs through the lamina CLI, piped', async () => {
    // Act
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', `${root}packages/local/src/cli.ts`, 'invoke', 'echo-cjs.handler', '--event', '-'],
      { cwd: fixtures },
    )
    child.stdin!.end('{"via":"cli"}')
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += chunk
    })
    const code = await new Promise((resolve) => child.on('close', resolve))

    // Assess
    expect(code).toBe(0)
    expect(JSON.parse(out).response).toMatchObject({ module: 'cjs', event: { via: 'cli' } })
  })

  it('fails through the lamina CLI with one line and a non-zero exit', async () => {
    const run = promisify(execFile)
    const failure = await run(
      process.execPath,
      ['--import', 'tsx', `${root}packages/local/src/cli.ts`, 'invoke', 'missing.handler'],
      { cwd: fixtures },
    ).catch((error) => error)
    expect(failure.code).toBe(2)
    expect(failure.stderr).toMatch(/^lamina invoke: no file for handler missing\.handler/)
  })
})

describe('invoke input parsing (properties)', () => {
  const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/)
  const value = fc.string({ maxLength: 20 }).filter((text) => !/[\r\n"\\]/.test(text))

  it('reads back any KEY="value" env file', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value), (env) => {
        const text = Object.entries(env)
          .map(([name, text]) => `${name}="${text}"`)
          .join('\n')
        expect(parseEnvFile(text, 'x.env')).toEqual(env)
      }),
    )
  })

  it('takes --name value and --name=value alike, and rejects names it does not know', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((text) => !text.startsWith('--')),
        fc.boolean(),
        (text, joined) => {
          const args = joined ? [`--event=${text}`] : ['--event', text]
          expect(parseArgs(args, ['event'], [], 'invoke').options.get('event')).toBe(text)
        },
      ),
    )
    fc.assert(
      fc.property(
        key.filter((name) => name !== 'event'),
        (name) => {
          expect(() => parseArgs([`--${name}`, 'x'], ['event'], [], 'invoke')).toThrow(`unknown option --${name}`)
        },
      ),
    )
  })
})
