import dgram from 'node:dgram'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

/**
 * A stand-in X-Ray daemon on 127.0.0.1: the real X-Ray SDK sends each closed subsegment to it
 * over UDP as a header line and a JSON document, exactly as it would in Lambda.
 */
export interface XRayDaemon {
  readonly address: string
  /** What the X-Ray SDK needs to send here as it would in Lambda: spread it into setLambdaEnvironment(). */
  readonly environment: Record<string, string>
  readonly documents: Record<string, any>[]
  /**
   * Waits until `count` documents arrived, then for anything still queued behind them (see
   * `flush()`), and returns every document. Gives up after 5 s and returns what arrived, so a
   * missing document fails the caller's assertion, not the test's timeout.
   */
  waitFor(count: number): Promise<Record<string, any>[]>
  /**
   * Resolves once every document the X-Ray SDK had queued when this was called has arrived,
   * and returns every document: a way to check that one that should not exist did not come.
   */
  flush(): Promise<Record<string, any>[]>
  close(): void
}

const header = '{"format":"json","version":1}'
const giveUpAfterMs = 5_000

/** A document-shaped marker the X-Ray SDK's emitter can send like a closed subsegment. */
const markerSegment = (marker: string) => ({
  format: () => marker,
  trace_id: marker,
  id: marker,
  type: 'subsegment',
})

interface Emitter {
  send(segment: ReturnType<typeof markerSegment>): void
  getIp(): string
  getPort(): number | string
}

/**
 * The X-Ray SDK's emitter, when the SDK is loaded in this process (it is not imported here
 * otherwise: nothing can be queued in an SDK that was never loaded).
 */
function loadedEmitter(): Emitter | undefined {
  const require = createRequire(join(process.cwd(), 'index.js'))
  let path: string
  try {
    path = require.resolve('aws-xray-sdk-core/dist/lib/segment_emitter.js')
  } catch {
    return undefined
  }
  return require.cache[path] === undefined ? undefined : (require(path) as Emitter)
}

export async function startXRayDaemon(): Promise<XRayDaemon> {
  const socket = dgram.createSocket('udp4')
  const documents: Record<string, any>[] = []
  const markers = new Map<string, () => void>()
  let documentArrived = () => {}
  socket.on('message', (message) => {
    const [, body] = message.toString('utf8').split('\n')
    if (body === undefined || body === '') return
    const release = markers.get(body)
    if (release !== undefined) {
      markers.delete(body)
      release()
      return
    }
    documents.push(JSON.parse(body))
    documentArrived()
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const { port } = socket.address() as AddressInfo
  const address = `127.0.0.1:${port}`
  let markerCount = 0

  // In Lambda the SDK queues documents and sends them in batches, one after another, each from a
  // fresh socket; a marker queued behind them leaves after every one of them has been sent, and
  // loopback hands datagrams over as they are sent. Without the SDK, the marker goes straight
  // from this socket, behind whatever a test sent by hand before calling.
  async function flush() {
    const marker = `lamina-xray-flush-${process.pid}-${++markerCount}`
    const arrived = new Promise<void>((resolve) => markers.set(marker, resolve))
    const emitter = loadedEmitter()
    // An SDK that sends elsewhere (loaded before this daemon started) cannot have queued anything for it.
    if (emitter !== undefined && Number(emitter.getPort()) === port && emitter.getIp() === '127.0.0.1') {
      emitter.send(markerSegment(marker))
    } else socket.send(`${header}\n${marker}`, port, '127.0.0.1')
    await arrived
    return documents
  }

  return {
    address,
    environment: { LAMBDA_TASK_ROOT: '/var/task', _HANDLER: 'index.handler', AWS_XRAY_DAEMON_ADDRESS: address },
    documents,
    async waitFor(count) {
      if (documents.length < count) {
        await new Promise<void>((resolve) => {
          const giveUp = setTimeout(resolve, giveUpAfterMs)
          documentArrived = () => {
            if (documents.length < count) return
            clearTimeout(giveUp)
            resolve()
          }
        })
        documentArrived = () => {}
      }
      return flush()
    },
    flush,
    close: () => socket.close(),
  }
}
