import { setImmediate as nextTurn } from 'node:timers/promises'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { clients, type KeepAliveAgents, keepAliveAgents } from '@lamina/connections'
import { wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type SecretsManagerServer, startSecretsManagerServer } from '../support/secrets-manager-server.ts'

// The test server counts TCP connections (its 'connection' event). 100 sequential invocations
// each make one call: through the real AWS SDK client, and through fetch. Between invocations the
// test yields one event-loop turn, as the Lambda runtime does (it posts the response and polls
// for the next event): undici hands a socket back to its pool on the turn after the body ends.
let server: SecretsManagerServer
let agents: KeepAliveAgents | undefined
const invocations = 100

beforeAll(async () => {
  server = await startSecretsManagerServer({ 'pool/key': 'pooled-secret' })
})
afterAll(() => server.close())
beforeEach(() => {
  server.resetCounters()
  server.plainHeaders = {}
})
afterEach(async () => {
  await agents?.destroy()
  agents = undefined
})

function sdkHandler(created: KeepAliveAgents) {
  return wrap<unknown>()
    .use(
      clients({
        secretsManager: () =>
          new SecretsManagerClient({
            endpoint: server.endpoint,
            region: 'us-east-1',
            credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
            requestHandler: created.requestHandler,
          }),
      }),
    )
    .handler(async (_event, context) => {
      const output = await context.clients.secretsManager.send(new GetSecretValueCommand({ SecretId: 'pool/key' }))
      return output.SecretString
    })
}

function fetchHandler(created: KeepAliveAgents) {
  return wrap<unknown>()
    .use(clients({ dispatcher: () => created.dispatcher }))
    .handler(async (_event, context) => {
      const response = await fetch(`${server.endpoint}/ping`, {
        dispatcher: context.clients.dispatcher,
      } as unknown as RequestInit)
      return response.text()
    })
}

async function runSequentially(handler: (event: unknown, context: any) => Promise<unknown>): Promise<unknown[]> {
  const results: unknown[] = []
  for (let index = 0; index < invocations; index++) {
    results.push(await handler({}, createContext()))
    await nextTurn()
  }
  return results
}

describe('100 sequential invocations', () => {
  it("through an AWS SDK client on Lamina's keep-alive request handler: 1 connection", async () => {
    // Prepare
    agents = keepAliveAgents()
    // Act
    const results = await runSequentially(sdkHandler(agents))
    // Assess
    expect(new Set(results)).toEqual(new Set(['pooled-secret']))
    expect(server.requests).toBe(invocations)
    expect(server.connections).toBe(1)
  })

  it("through fetch with Lamina's dispatcher: 1 connection", async () => {
    // Prepare
    agents = keepAliveAgents()
    // Act
    const results = await runSequentially(fetchHandler(agents))
    // Assess
    expect(new Set(results)).toEqual(new Set(['pong']))
    expect(server.connections).toBe(1)
  })

  it('without keep-alive (agents with keepAlive: false): 100 connections each way', async () => {
    // Prepare
    agents = keepAliveAgents({ keepAlive: false })
    // Act
    await runSequentially(sdkHandler(agents))
    const sdkConnections = server.connections
    await runSequentially(fetchHandler(agents))
    // Assess
    expect(sdkConnections).toBe(invocations)
    expect(server.connections).toBe(2 * invocations)
  })

  it('when the server answers connection: close, keep-alive cannot help: 100 connections', async () => {
    // Prepare
    agents = keepAliveAgents()
    server.plainHeaders = { connection: 'close' }
    // Act
    await runSequentially(fetchHandler(agents))
    // Assess
    expect(server.connections).toBe(invocations)
  })
})
