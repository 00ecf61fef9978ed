// What every stand-in is: an endpoint on 127.0.0.1, the variables that point the AWS SDK at it,
// a line for the startup banner.
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface StandIn {
  env: Record<string, string>
  description: string
  close(): Promise<void>
}

export const awsError = (type: string, message: string) => JSON.stringify({ __type: type, message })

export type Send = (status: number, body: string) => void

/**
 * An endpoint of the AWS JSON 1.1 protocol for one operation (`X-Amz-Target: Service.Operation`):
 * reads the whole body, answers any other operation as AWS does (`UnknownOperationException`).
 */
export function jsonOperationServer(
  target: string,
  answer: (body: string, send: Send, url: string) => unknown,
): Server {
  return createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', async () => {
      const send: Send = (status, body) =>
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(body)
      if (request.headers['x-amz-target'] !== target) {
        const operation = target.slice(target.indexOf('.') + 1)
        return send(400, awsError('UnknownOperationException', `The local stand-in answers ${operation} only.`))
      }
      await answer(Buffer.concat(chunks).toString('utf8'), send, request.url ?? '')
    })
  })
}

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
