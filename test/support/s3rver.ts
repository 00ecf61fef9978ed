import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type RequestListener } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3'

/**
 * s3rver (the S3 REST API on a folder of files) on 127.0.0.1, on a free port, for tests that
 * drive the real `@aws-sdk/client-s3` client against a real S3 wire protocol. No Docker, no AWS
 * account. Each server gets a temporary folder of its own, removed by `stop()`.
 */

export interface S3rverOptions {
  /** Buckets to create before `startS3rver` resolves. */
  buckets?: string[]
  /**
   * Sees every request before s3rver does; when it returns a promise, s3rver answers once it
   * settles. For tests that count calls or hold one back (a slow object).
   */
  onRequest?: (request: IncomingMessage) => undefined | Promise<unknown>
}

export interface S3rverStandIn {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string
  /** What an S3 client needs to talk to this server: endpoint, path-style buckets, region, s3rver's credentials. */
  readonly clientConfig: S3ClientConfig
  /**
   * The same for a client configured by environment (another process, or code that creates its
   * own client): `AWS_ENDPOINT_URL_S3`, credentials and region.
   */
  readonly environment: Record<string, string>
  /** A new client on `clientConfig`; destroyed by `stop()`. */
  client(): S3Client
  createBucket(name: string): Promise<void>
  /** Destroys the clients it made, closes every connection, stops the server and deletes its folder. */
  stop(): Promise<void>
}

interface S3rverApp {
  callback(): RequestListener
  logger: { close(): void; exceptions: { unhandle(): void } }
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverApp

// s3rver ships CommonJS without types: load it through require, typed at this one place.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor

// s3rver knows one account, whose access key is S3RVER; it does not check SigV4 signatures.
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }
const region = 'us-east-1'

/** Starts s3rver on 127.0.0.1 (a free port) and creates `buckets`. Call `stop()` when done. */
export async function startS3rver(options: S3rverOptions = {}): Promise<S3rverStandIn> {
  const directory = await mkdtemp(join(tmpdir(), 'lamina-s3rver-'))
  // Its own HTTP server around s3rver's Koa app (not s3rver.run()), so requests can be seen first.
  const app = new S3rver({ directory, silent: true, vhostBuckets: false })
  const answer = app.callback()
  const server = createServer((request, response) => {
    const seen = options.onRequest?.(request)
    if (seen === undefined) answer(request, response)
    else seen.then(() => answer(request, response))
  })
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const endpoint = `http://127.0.0.1:${port}`
  // Path-style: the bucket in the path, as a server on an address (not a wildcard host name) needs.
  const clientConfig: S3ClientConfig = { endpoint, forcePathStyle: true, region, credentials }
  const clients: S3Client[] = []
  const client = () => {
    const made = new S3Client(clientConfig)
    clients.push(made)
    return made
  }
  const admin = client()
  const createBucket = async (name: string) => {
    await admin.send(new CreateBucketCommand({ Bucket: name }))
  }
  for (const bucket of options.buckets ?? []) await createBucket(bucket)

  return {
    endpoint,
    clientConfig,
    environment: {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: region,
    },
    client,
    createBucket,
    async stop() {
      for (const made of clients) made.destroy()
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      // What s3rver.run()'s server does on close: its logger holds nothing open afterwards.
      app.logger.exceptions.unhandle()
      app.logger.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}
