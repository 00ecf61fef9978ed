// `npm start` at the root builds, then serves the orders API with `lamina dev`, as the README's
// quick start says: curl against it answers as the README shows. Each example's own `npm start`
// still runs its function on sample events and prints the answers.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { cleanEnv, ensurePackagesBuilt, repoRoot } from '../support/built-packages.ts'

const run = promisify(execFile)

// Like the quick start: the examples use the packages' builds, through their own tsconfig.
const start = async (example: string) => {
  const { stdout, stderr } = await run('npm', ['start', '--silent'], {
    cwd: join(repoRoot, 'examples', example),
    env: cleanEnv,
    timeout: 60_000,
  })
  return { stdout, stderr }
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))

beforeAll(ensurePackagesBuilt, 5 * 60_000)

/** `npm start -- --port 0` at the root, in its own process group (npm → sh → node). */
function rootStart() {
  const child = spawn('npm', ['start', '--silent', '--', '--port', '0'], {
    cwd: repoRoot,
    env: cleanEnv,
    detached: true,
  })
  let stdout = ''
  child.stdout?.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr?.resume()
  return { child, output: () => stdout }
}

async function waitFor(child: ChildProcess, output: () => string, pattern: RegExp) {
  while (!pattern.test(output())) {
    const [event] = await Promise.race([
      once(child.stdout as NodeJS.ReadableStream, 'data').then(() => ['data']),
      once(child, 'exit').then(() => ['exit']),
    ])
    if (event === 'exit') throw new Error(`npm start exited before printing ${pattern}:\n${output()}`)
  }
  return pattern.exec(output()) as RegExpExecArray
}

const order = (url: string, body: string) =>
  fetch(`${url}/orders`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })

describe('npm start at the root', () => {
  it('serves the orders API on localhost: 201, 404, 400, with one line per request and the cold start first', async () => {
    // Prepare
    const { child, output } = rootStart()
    try {
      const [, url] = await waitFor(child, output, /listening on (http:\/\/localhost:\d+)/)
      // Act
      const created = await order(url as string, '{"sku":"lamina-mug","quantity":3}')
      const unknown = await order(url as string, '{"sku":"nope","quantity":1}')
      const invalid = await order(url as string, '{"quantity":-1}')
      await waitFor(child, output, /POST \/orders → 400/)
      // Assess
      expect(created.status).toBe(201)
      expect(await created.json()).toEqual({ sku: 'lamina-mug', quantity: 3, totalCents: 3240 })
      expect(unknown.status).toBe(404)
      expect(invalid.status).toBe(400)
      const lines = output()
        .split('\n')
        .filter((line) => line.startsWith('POST /orders'))
      expect(lines.map((line) => /→ (\d{3}) .* (cold|warm)/.exec(line)?.slice(1))).toEqual([
        ['201', 'cold'],
        ['404', 'warm'],
        ['400', 'warm'],
      ])
      expect(lines[0]).toMatch(
        /timeout-guard [\d.]+ ms · error-mapper .* secrets [\d.]+ ms · validator [\d.]+ ms · handler/,
      )
      expect(output()).toMatch(/stand-in: Secrets Manager on http:\/\/127\.0\.0\.1:\d+, serving secrets\.local\.json/)
    } finally {
      process.kill(-(child.pid as number), 'SIGINT')
      await once(child, 'exit')
    }
  })
})

describe('npm start in each example', () => {
  it('hello: prints the three sample answers', async () => {
    const { stdout } = await start('hello')
    expect(stdout).toContain('"statusCode":200')
    expect(stdout).toContain('hello, Ada')
    expect(stdout).toContain('"statusCode":400')
  })

  it('orders-api: prints 201, 404, 400, 400, with log lines whose first invocation is the cold start', async () => {
    // Act
    const { stdout, stderr } = await start('orders-api')
    // Assess
    expect([...stdout.matchAll(/→ (\d{3}) /g)].map((match) => match[1])).toEqual(['201', '404', '400', '400'])
    const logLines = jsonLines(`${stdout}\n${stderr}`).filter((line) => line.level)
    expect(logLines.length).toBeGreaterThanOrEqual(4)
    expect(logLines.map((line) => line.cold_start)).toEqual([true, ...logLines.slice(1).map(() => false)])
    expect(logLines[0]).toMatchObject({ service: 'orders-api', function_name: 'orders-api' })
  })
})
