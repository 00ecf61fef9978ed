// Serves a function on 127.0.0.1 the way a test needs: the Functions Framework's own server, or a
// plain Express app, on a free port, closed after the test.

import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getTestServer } from '@google-cloud/functions-framework/testing'

export interface Served {
  url: string
  close: () => Promise<void>
}

export async function listen(server: Server): Promise<Served> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
}

/** The Functions Framework's server for a function registered with functions.http / cloudEvent. */
export const serveRegistered = (name: string) => listen(getTestServer(name))
