// `npm start` runs each example on sample events, as the README's quick start says: what it prints
// must be what the READMEs show (a first invocation that is a cold start, the documented answers).
import { execFile } from 'node:child_process'
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
