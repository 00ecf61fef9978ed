// Starts `lamina dev` in the test process on a free port, with the real local runtime, and keeps
// the lines it prints so tests can wait for one.
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { NewRecord } from '../../../src/dev/history.js'
import { type DevServer, type DevServerOptions, startDevServer } from '../../../src/dev/server.js'
import { startLocalFunction } from '../../../src/runtime/local-function.js'

export const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))

export interface TestServer extends DevServer {
  lines: string[]
}

export async function startTestServer(options: Partial<DevServerOptions> & { dir: string }): Promise<TestServer> {
  const lines: string[] = []
  const server = await startDevServer({
    port: 0,
    watch: false,
    print: (line) => lines.push(line),
    startFunction: startLocalFunction,
    ...options,
  })
  return Object.assign(server, { lines })
}

/** The next invocation the server records that `matches`. */
export async function nextInvocation(server: DevServer, matches: (record: NewRecord) => boolean = () => true) {
  for (;;) {
    const [record] = (await once(server, 'invocation')) as [NewRecord]
    if (matches(record)) return record
  }
}

/** A folder with these files (relative path → text), for tests that change or break an example. */
export function exampleFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lamina-dev-'))
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path)
    mkdirp(file)
    writeFileSync(file, text)
  }
  return dir
}

const mkdirp = (file: string) => mkdirSync(join(file, '..'), { recursive: true })

export const httpTemplate = (handler = 'handler.handler', extra = '') => `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: ${handler}
${extra}`
