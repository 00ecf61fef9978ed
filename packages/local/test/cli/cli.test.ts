// The `lamina` command end to end: the real bin spawned as a user runs it (from source through
// tsx), and main() in process for the dispatch itself.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { main, usage } from '../../src/cli.js'
import { devCommand, devUsage } from '../../src/dev/command.js'
import type { DevServer } from '../../src/dev/server.js'
import { startLocalFunction } from '../../src/runtime/local-function.js'

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url))
const shop = fileURLToPath(new URL('../dev/fixtures/shop', import.meta.url))

function lamina(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/local/src/cli.ts', ...args], { cwd: repoRoot })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number, stdout, stderr }))
  return { child, exited, output: () => stdout }
}

async function waitForLine(child: ChildProcess, output: () => string, pattern: RegExp) {
  while (!pattern.test(output())) await once(child.stdout as NodeJS.ReadableStream, 'data')
  return (pattern.exec(output()) as RegExpExecArray)[0]
}

describe('lamina (the bin, spawned)', () => {
  it('dev: serves the example, answers curl-like requests, prints a line per invocation, stops on SIGINT with 0', async () => {
    // Prepare
    const { child, exited, output } = lamina([
      'dev',
      'packages/local/test/dev/fixtures/shop',
      '--port',
      '0',
      '--no-watch',
    ])
    const url = (await waitForLine(child, output, /listening on (http:\/\/localhost:\d+)/)).replace('listening on ', '')
    // Act
    const response = await fetch(`${url}/items/3`)
    const body = await response.json()
    await waitForLine(child, output, /GET \/items\/3 → 200/)
    child.kill('SIGINT')
    const { code, stdout } = await exited
    // Assess
    expect(body).toMatchObject({ pathParameters: { id: '3' } })
    expect(code).toBe(0)
    expect(stdout).toContain('ItemsFunction (src/items.handler): GET /items/{id}, POST /items, GET /items/special')
    expect(stdout).toContain(`inspector: ${url}/_lamina`)
  })

  it.each([
    [
      ['dev', 'examples/nope'],
      'lamina dev: no example folder at examples/nope: pass a folder holding a template.yaml, e.g. lamina dev examples/api-backend',
    ],
    [['dev', '--port', 'abc'], 'lamina dev: --port "abc" is not a whole number from 0 to 65535: pass e.g. --port 3000'],
    [['dev', '--event', 'v3'], 'lamina dev: --event "v3" is not an HTTP event format: pass one of v2, v1, alb, url'],
    [['dev', '--bogus'], "lamina dev: Unknown option '--bogus': run lamina dev --help for the options"],
    [['frobnicate'], 'lamina: unknown command "frobnicate": run lamina --help for the commands (dev, invoke, build)'],
  ])('%j: one line saying what is wrong and what to do, non-zero exit', async (args, line) => {
    const { exited } = lamina(args)
    const { code, stderr } = await exited
    expect(code).not.toBe(0)
    expect(stderr).toBe(`${line}\n`)
  })

  it('dev: a port in use is one line and exit 1', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const { code, stderr } = await lamina(['dev', 'packages/local/test/dev/fixtures/shop', '--port', String(port)])
        .exited
      expect(code).toBe(1)
      expect(stderr).toBe(`lamina dev: port ${port} is in use: stop what is using it or pass --port <another>\n`)
    } finally {
      blocker.close()
    }
  })
})

describe('main (in process)', () => {
  const capture = () => {
    const out: string[] = []
    const err: string[] = []
    return { out, err, io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) } }
  }

  it('prints the commands for --help (exit 0) and for no command at all (exit 2)', async () => {
    const help = capture()
    const none = capture()
    expect(await main(['--help'], help.io)).toBe(0)
    expect(await main([], none.io)).toBe(2)
    expect(help.out).toEqual([usage])
    expect(none.out).toEqual([usage])
    expect(usage).toMatch(/dev \[example-dir\].*\n.*invoke <handler>.*\n.*build \[example-dir\]/)
  })

  it('refuses an unknown command, even one named like an object property', async () => {
    const { err, io } = capture()
    expect(await main(['constructor'], io)).toBe(2)
    expect(err).toEqual([
      'lamina: unknown command "constructor": run lamina --help for the commands (dev, invoke, build)',
    ])
  })

  it('reports a command that throws as one line and exit 1', async () => {
    const { err, io } = capture()
    // `invoke` with no handler is the runtime's own usage error: whatever it says, it is one line
    const code = await main(['invoke'], io)
    expect(code).not.toBe(0)
    expect(err.length).toBeLessThanOrEqual(1)
  })

  it('dev --help prints the options', async () => {
    const { out, io } = capture()
    expect(await main(['dev', '--help'], io)).toBe(0)
    expect(out).toEqual([devUsage])
  })
})

describe('devCommand (in process)', () => {
  it('serves until its signal aborts, then closes the server and returns 0', async () => {
    // Prepare
    const controller = new AbortController()
    let server: DevServer | undefined
    const lines: string[] = []
    // Act
    const done = devCommand([join(shop), '--port', '0', '--no-watch', '--event', 'v1'], {
      out: (line) => lines.push(line),
      signal: controller.signal,
      startFunction: startLocalFunction,
      onListening: (started) => {
        server = started
        controller.abort()
      },
    })
    // Assess
    expect(await done).toBe(0)
    expect(server?.url).toMatch(/^http:\/\/localhost:\d+$/)
    expect(lines.at(-1)).toBe(`listening on ${server?.url}`)
    await expect(fetch(`${server?.url}/items/1`)).rejects.toThrow()
  })
})
