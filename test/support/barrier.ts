// An HTTP endpoint on 127.0.0.1 that answers nobody until `size` requests are waiting: invocations
// that each call it are all in flight at the same time once any of them gets its answer.
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Barrier {
  readonly url: string
  close(): void
}

export async function startBarrier(size: number): Promise<Barrier> {
  const waiting: ServerResponse[] = []
  const server = createServer((_, response) => {
    waiting.push(response)
    if (waiting.length === size) for (const held of waiting.splice(0)) held.end('go')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => {
      server.closeAllConnections()
      server.close()
    },
  }
}
