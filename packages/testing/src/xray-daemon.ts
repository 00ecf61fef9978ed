import dgram from 'node:dgram'
import type { AddressInfo } from 'node:net'

/**
 * A stand-in X-Ray daemon on 127.0.0.1: the real X-Ray SDK sends each closed subsegment to it
 * over UDP as a header line and a JSON document, exactly as it would in Lambda.
 */
export interface XRayDaemon {
  readonly address: string
  /** What the X-Ray SDK needs to send here as it would in Lambda: spread it into setLambdaEnvironment(). */
  readonly environment: Record<string, string>
  readonly documents: Record<string, any>[]
  /** Waits until `count` documents arrived (bounded: at most ~3 s), then returns them. */
  waitFor(count: number): Promise<Record<string, any>[]>
  /** Waits long enough for a document that should not exist to have arrived. */
  quiet(): Promise<Record<string, any>[]>
  close(): void
}

export async function startXRayDaemon(): Promise<XRayDaemon> {
  const socket = dgram.createSocket('udp4')
  const documents: Record<string, any>[] = []
  socket.on('message', (message) => {
    const [, document] = message.toString('utf8').split('\n')
    if (document) documents.push(JSON.parse(document))
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const address = `127.0.0.1:${(socket.address() as AddressInfo).port}`
  return {
    address,
    environment: { LAMBDA_TASK_ROOT: '/var/task', _HANDLER: 'index.handler', AWS_XRAY_DAEMON_ADDRESS: address },
    documents,
    async waitFor(count) {
      for (let round = 0; round < 150 && documents.length < count; round++) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      // Let a straggler that should not exist arrive, so "exactly n" checks mean something.
      await new Promise((resolve) => setTimeout(resolve, 40))
      return documents
    },
    async quiet() {
      await new Promise((resolve) => setTimeout(resolve, 200))
      return documents
    },
    close: () => socket.close(),
  }
}
