// When the local runtime itself fails (not the function: the runtime cannot hand out the
// invocation), the caller gets a bare 502 and the terminal says why. A runtime that fails on
// purpose stands in for the real one here: the real one does not fail on demand.
import { describe, expect, it } from 'vitest'
import type { StartFunction } from '../../src/dev/runner.js'
import { startDevServer } from '../../src/dev/server.js'
import { exampleFolder, httpTemplate } from './support/dev-server.js'

const failingRuntime: StartFunction = async () => ({
  invoke: () => Promise.reject(new Error('the emulator is gone')),
  restart: async () => {},
  close: async () => {},
})

describe('lamina dev when the runtime fails', () => {
  it('answers 502 without internals, for HTTP and SQS alike, and prints the reason', async () => {
    // Prepare
    const lines: string[] = []
    const dir = exampleFolder({ 'template.yaml': httpTemplate(), 'src/handler.mjs': '' })
    const server = await startDevServer({
      dir,
      port: 0,
      watch: false,
      print: (line) => lines.push(line),
      startFunction: failingRuntime,
    })
    try {
      // Act
      const http = await fetch(`${server.url}/orders`)
      const sqs = await fetch(`${server.url}/_lamina/sqs/Fn`, { method: 'POST', body: '["a"]' })
      // Assess
      expect([http.status, await http.text()]).toEqual([502, '{"message":"Internal server error"}'])
      expect([sqs.status, await sqs.text()]).toEqual([502, '{"message":"Internal server error"}'])
      expect(lines).toContain('GET /orders → 502 (the emulator is gone)')
      expect(lines).toContain('POST /_lamina/sqs/Fn → 502 (the emulator is gone)')
    } finally {
      await server.close()
    }
  })

  it('a host it cannot listen on is one line with what to check', async () => {
    const dir = exampleFolder({ 'template.yaml': httpTemplate(), 'src/handler.mjs': '' })
    await expect(
      startDevServer({
        dir,
        port: 0,
        host: 'no-such-host.invalid',
        watch: false,
        print: () => {},
        startFunction: failingRuntime,
      }),
    ).rejects.toThrow(/^cannot listen on no-such-host\.invalid:0 \((ENOTFOUND|EAI_AGAIN)\): check --host and --port$/)
  })
})
