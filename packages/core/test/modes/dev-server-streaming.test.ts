// End to end: a wrapStream function served by Lamina's dev server (packages/local) on the real
// local runtime, which provides the `awslambda` global in the function's process. An HTTP client
// must get the first chunk while the function is still running. The dev server is not on
// @lamina/local's public entry yet, so it is imported from its source.
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, startDevServer } from '../../../local/src/dev/server.js'
import { startLocalFunction } from '../../../local/src/runtime/local-function.js'

let server: DevServer
let base: string

beforeAll(async () => {
  server = await startDevServer({
    dir: fileURLToPath(new URL('./fixtures/dev-stream/', import.meta.url)),
    port: 0,
    watch: false,
    print: (line) => {
      const listening = /listening on (\S+)/.exec(line)
      if (listening) base = listening[1] as string
    },
    startFunction: startLocalFunction,
  })
}, 60_000)
afterAll(() => server?.close())

describe('lamina dev serving a wrapStream function', () => {
  it('sends the prelude and the first chunk before the function has finished', async () => {
    // Prepare: the function waits for this server between its two lines
    const held: ServerResponse[] = []
    let arrived: () => void = () => undefined
    const functionWaiting = new Promise<void>((resolve) => {
      arrived = resolve
    })
    const gate = createServer((_request, response) => {
      held.push(response)
      arrived()
    })
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve))
    const release = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/`
    try {
      // Act
      const response = await fetch(`${base}/report?release=${encodeURIComponent(release)}`)
      const reader = (response.body as ReadableStream<Uint8Array>).getReader()
      const first = new TextDecoder().decode((await reader.read()).value)
      await functionWaiting
      for (const waiting of held) waiting.end('go')
      let rest = ''
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        rest += new TextDecoder().decode(chunk.value)
      }
      // Assess
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('text/plain')
      expect(response.headers.get('x-after')).toBe('seen before the first byte')
      expect(first).toBe('first line\n')
      expect(rest).toBe('second line\n')
    } finally {
      gate.closeAllConnections()
      gate.close()
    }
  })
})
