// What every stand-in is: an endpoint on 127.0.0.1, the variables that point the AWS SDK at it,
// a line for the startup banner.
import type { Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface StandIn {
  env: Record<string, string>
  description: string
  close(): Promise<void>
}

export const awsError = (type: string, message: string) => JSON.stringify({ __type: type, message })

/** Listens on a free port of 127.0.0.1; `close` also ends kept-alive connections (SDK clients keep them). */
export async function listenLocally(server: Server): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
