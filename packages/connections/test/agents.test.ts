import { request } from 'node:http'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type SecretsManagerServer, startSecretsManagerServer } from '../../../test/support/secrets-manager-server.ts'
import { keepAliveAgents } from '../src/index.ts'

// The test server counts TCP connections ('connection' events); plain GETs answer "pong".
let server: SecretsManagerServer
beforeAll(async () => {
  server = await startSecretsManagerServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.resetCounters()
  server.plainHeaders = {}
})

function get(url: string, agent: import('node:http').Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (response) => {
      let body = ''
      response.on('data', (chunk) => {
        body += chunk
      })
      response.on('end', () => resolve(body))
    })
      .on('error', reject)
      .end()
  })
}

describe('keepAliveAgents()', () => {
  it('reuses one socket for sequential http.request calls through httpAgent', async () => {
    // Prepare
    const agents = keepAliveAgents()
    // Act
    for (let index = 0; index < 10; index++) {
      expect(await get(`${server.endpoint}/ping`, agents.httpAgent)).toBe('pong')
      await nextTurn()
    }
    await agents.destroy()
    // Assess
    expect(server.connections).toBe(1)
    expect(server.requests).toBe(10)
  })

  it('reuses one socket for sequential fetch calls through the dispatcher', async () => {
    // Prepare
    const agents = keepAliveAgents()
    // Act
    for (let index = 0; index < 10; index++) {
      const response = await fetch(`${server.endpoint}/ping`, { dispatcher: agents.dispatcher })
      expect(await response.text()).toBe('pong')
      await nextTurn()
    }
    await agents.destroy()
    // Assess
    expect(server.connections).toBe(1)
  })

  it('opens a socket per request with keepAlive false (the baseline)', async () => {
    // Prepare
    const agents = keepAliveAgents({ keepAlive: false })
    // Act
    for (let index = 0; index < 5; index++) {
      await get(`${server.endpoint}/ping`, agents.httpAgent)
      await (await fetch(`${server.endpoint}/ping`, { dispatcher: agents.dispatcher })).text()
      await nextTurn()
    }
    await agents.destroy()
    // Assess
    expect(server.connections).toBe(10)
  })

  it('applies the limits given', () => {
    // Act
    const agents = keepAliveAgents({
      maxSockets: 8,
      idleTimeoutMs: 1_000,
      connectionTimeoutMs: 500,
      requestTimeoutMs: 0,
    })
    // Assess
    expect(agents.httpAgent.maxSockets).toBe(8)
    expect(agents.httpsAgent.maxSockets).toBe(8)
    expect((agents.httpAgent as unknown as { options: object }).options).toMatchObject({
      keepAlive: true,
      timeout: 1_000,
    })
    return agents.destroy()
  })

  it('refuses limits that cannot work, naming the option', () => {
    expect(() => keepAliveAgents({ maxSockets: 0 })).toThrow('maxSockets must be a positive number, got 0')
    expect(() => keepAliveAgents({ idleTimeoutMs: -1 })).toThrow('idleTimeoutMs must be a positive number')
    expect(() => keepAliveAgents({ connectionTimeoutMs: Number.NaN })).toThrow('connectionTimeoutMs')
    expect(() => keepAliveAgents({ requestTimeoutMs: -5 })).toThrow('requestTimeoutMs must be a non-negative number')
  })
})
