// `npm start` at the root builds, then serves the books API (examples/api-backend) with
// `lamina dev`, as the README's quick start says: curl against it answers as the README shows. Each example's own `npm start`
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

const apiKey = 'local-books-api-key-123' // examples/api-backend/secrets.local.json
const addBook = (url: string, body: string, key: string | null = apiKey) =>
  fetch(`${url}/books`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { 'x-api-key': key }) },
  })

describe('npm start at the root', () => {
  it('serves the books API on localhost against dynalite and the local Secrets Manager: 201, 200, 401, 400, one line per request, the cold start first', async () => {
    // Prepare
    const { child, output } = rootStart()
    try {
      const [, url] = await waitFor(child, output, /listening on (http:\/\/localhost:\d+)/)
      const book = {
        isbn: '9780441478125',
        title: 'The Left Hand of Darkness',
        author: 'Ursula K. Le Guin',
        year: 1969,
      }
      // Act
      const created = await addBook(url as string, JSON.stringify(book))
      const listed = await fetch(`${url}/books?limit=2`)
      const withoutKey = await addBook(url as string, JSON.stringify(book), null)
      const invalid = await addBook(url as string, '{"isbn":"978","title":""}')
      await waitFor(child, output, /POST \/books → 400/)
      // Assess
      expect(created.status).toBe(201)
      expect(await created.json()).toMatchObject({ ...book, version: 1 })
      expect(listed.status).toBe(200)
      expect(await listed.json()).toMatchObject({ items: [book] })
      expect(withoutKey.status).toBe(401)
      expect(invalid.status).toBe(400)
      const lines = output()
        .split('\n')
        .filter((line) => /^(GET|POST) \/books/.test(line))
      expect(lines.map((line) => /→ (\d{3}) .* (cold|warm)/.exec(line)?.slice(1))).toEqual([
        ['201', 'cold'],
        ['200', 'warm'],
        ['401', 'warm'],
        ['400', 'warm'],
      ])
      expect(lines[0]).toMatch(/timeout-guard [\d.]+ ms · cors .* secrets [\d.]+ ms · .*validator [\d.]+ ms · handler/)
      expect(output()).toMatch(/stand-in: Secrets Manager on http:\/\/127\.0\.0\.1:\d+, serving secrets\.local\.json/)
      expect(output()).toMatch(/stand-in: DynamoDB on http:\/\/127\.0\.0\.1:\d+ \(dynalite\), tables BooksTable/)
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
})
