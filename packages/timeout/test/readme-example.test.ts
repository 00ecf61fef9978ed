// The README's first snippet, run as written in its own process: if this breaks, so does the documentation.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const readme = fileURLToPath(new URL('../README.md', import.meta.url))
const snippet = fileURLToPath(new URL('./fixtures/readme-snippet.ts', import.meta.url))

const firstTypeScriptBlock = (markdown: string) => /```ts\n([\s\S]*?)```/.exec(markdown)?.[1]

describe('README example', () => {
  test('the fixture is the README snippet, character for character', () => {
    expect(readFileSync(snippet, 'utf8')).toBe(firstTypeScriptBlock(readFileSync(readme, 'utf8')))
  })

  test('it prints the cleanup line, then a 504 for the HTTP API event', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', snippet],
        { cwd: root, timeout: 15_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`snippet failed: ${error.message}\n${stderr}`)) : resolve(stdout),
      )
    })

    const [cleanupLine, ...rest] = output.trim().split('\n')
    expect(cleanupLine).toBe('cleanup ran: logs and metrics flushed')
    expect(rest.join('\n')).toMatch(/statusCode: 504/)
    expect(rest.join('\n')).toMatch(/"message":"Gateway Timeout","requestId":"[0-9a-f-]{36}"/)
  })
})
