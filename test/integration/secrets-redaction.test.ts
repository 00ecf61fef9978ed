import { randomUUID } from 'node:crypto'
import { format } from 'node:util'
import { Logger } from '@aws-lambda-powertools/logger'
import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { logging } from '@lamina/logger'
import { type SecretsOptions, secrets } from '@lamina/secrets'
import { createContext, events } from '@lamina/testing'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { type SecretsManagerServer, startSecretsManagerServer } from '../support/secrets-manager-server.ts'

// A canary secret goes through the whole stack (error mapper, Powertools-based logging with the
// event logged, secrets) on the success path and on every error path. Everything written to
// stdout, stderr or the console is captured; the canary must appear in none of it, nor in the
// response or the thrown error.
let server: SecretsManagerServer
let captured: string[]

beforeAll(async () => {
  server = await startSecretsManagerServer()
})
afterAll(() => server.close())
beforeEach(() => {
  captured = []
  const keep = (chunk: unknown, ...rest: unknown[]) => {
    captured.push(String(chunk))
    const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined
    callback?.()
    return true
  }
  vi.spyOn(process.stdout, 'write').mockImplementation(keep as never)
  vi.spyOn(process.stderr, 'write').mockImplementation(keep as never)
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void captured.push(format(...args)))
  }
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

const canary = () => `CANARY-${randomUUID()}`
const DbCreds = z.object({ username: z.string(), password: z.string(), port: z.number() })

function stack(specs: Parameters<typeof secrets>[0], options: SecretsOptions = {}, serviceName = 'canary') {
  const logger = new Logger({ serviceName })
  return wrap<unknown>()
    .use(errorMapper())
    .use(logging({ logger, logEvent: true }))
    .use(secrets(specs, { endpoint: server.endpoint, logger, ...options }))
    .handler(async (_event, context) => {
      // What careless code does: log the secrets, whole and interpolated.
      const values = context.secrets as unknown as Record<string, unknown>
      context.logger.info('connecting', { secrets: { ...values } })
      for (const value of Object.values(values)) context.logger.info(`using ${JSON.stringify(value)} now`)
      console.log('context.secrets is', context.secrets)
      return { statusCode: 200, body: 'ok' }
    })
}

const invoke = async (handler: ReturnType<typeof stack>, context = createContext()) => {
  const event = events.apiGatewayV2({ method: 'GET', path: '/orders' })
  try {
    return { response: await handler(event as never, context) }
  } catch (error) {
    return { error }
  }
}

/** The JSON log lines written to stdout (Powertools writes one JSON document per line). */
const jsonLines = () =>
  captured
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)

function expectNowhere(secretsToFind: string[], outcome: unknown): void {
  const everything = [...captured, JSON.stringify(outcome), format('%o', outcome)].join('\n')
  for (const secret of secretsToFind) expect(everything).not.toContain(secret)
}

describe('a canary secret never reaches a log line or a response', () => {
  it('on success, even when the handler logs the secrets', async () => {
    // Prepare
    const password = canary()
    const apiKey = canary()
    server.setSecret('canary/db', JSON.stringify({ username: 'app', password, port: 5432 }))
    server.setSecret('canary/key', apiKey)
    const handler = stack({ db: { id: 'canary/db', schema: DbCreds }, key: 'canary/key' })
    // Act
    const outcome = await invoke(handler)
    // Assess: the lines were written (masked), the canary is in none of them.
    expect(outcome.response).toMatchObject({ statusCode: 200 })
    expect(captured.join('\n')).toContain('****')
    expectNowhere([password, apiKey], outcome)
  })

  it('on a schema failure', async () => {
    // Prepare
    const password = canary()
    server.setSecret('canary/bad-db', JSON.stringify({ username: 'app', password, port: password }))
    const handler = stack({ db: { id: 'canary/bad-db', schema: DbCreds } })
    // Act
    const outcome = await invoke(handler)
    // Assess
    expect(outcome.response).toMatchObject({ statusCode: 500 })
    expect(captured.join('\n')).toContain('SecretFormatError')
    expectNowhere([password], outcome)
  })

  it('on a JSON secret that is not JSON', async () => {
    // Prepare
    const password = canary()
    server.setSecret('canary/truncated', `{"password":"${password}"`)
    const handler = stack({ db: { id: 'canary/truncated', json: true } })
    // Act
    const outcome = await invoke(handler)
    // Assess
    expect(outcome.response).toMatchObject({ statusCode: 500 })
    expectNowhere([password], outcome)
  })

  it('when the secret becomes unavailable: the stale value served with a warning, then a 503', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] })
    const apiKey = canary()
    server.setSecret('canary/rotating', apiKey)
    const handler = stack(
      { key: 'canary/rotating' },
      { ttlMs: 1_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 10_000, clientConfig: { maxAttempts: 1 } },
    )
    await invoke(handler)
    server.failAlways({ kind: 'internal' })
    // Act
    vi.setSystemTime(Date.now() + 5_000)
    const stale = await invoke(handler)
    vi.setSystemTime(Date.now() + 60_000)
    const unavailable = await invoke(handler)
    server.failAlways(undefined)
    // Assess
    expect(stale.response).toMatchObject({ statusCode: 200 })
    expect(captured.join('\n')).toContain('serving the cached value')
    expect(unavailable.response).toMatchObject({ statusCode: 503 })
    expect(captured.join('\n')).toContain('SecretsUnavailableError')
    expectNowhere([apiKey], [stale, unavailable])
  })

  it('when the first fetch fails outright (nothing cached): a missing secret is a 500 that names nothing', async () => {
    // Prepare
    server.failAlways({ kind: 'not-found' })
    const handler = stack({ key: 'canary/missing' })
    // Act
    const outcome = await invoke(handler)
    server.failAlways(undefined)
    // Assess
    expect(outcome.response).toMatchObject({ statusCode: 500 })
    expect(captured.join('\n')).toContain('SecretConfigurationError')
    expect(JSON.parse((outcome.response as { body: string }).body).message).not.toContain('canary/missing')
  })
})

describe('what is redacted: the secret parts, not everything', () => {
  it('an RDS secret masks the password and keeps service, function name, host and db name readable', async () => {
    // Prepare: the secret's dbname is the service's name, as it often is.
    const password = canary()
    const host = 'orders.cluster-c9akciq32.eu-west-1.rds.amazonaws.com'
    server.setSecret(
      'orders/rds',
      JSON.stringify({ engine: 'postgres', dbname: 'orders', username: 'app', password, host, port: 5432 }),
    )
    const handler = stack({ db: { id: 'orders/rds', json: true } }, {}, 'orders')
    // Act
    const outcome = await invoke(handler, createContext({ functionName: 'orders-create' }))
    // Assess
    expect(outcome.response).toMatchObject({ statusCode: 200 })
    const lines = jsonLines()
    expect(lines.length).toBeGreaterThan(2)
    for (const line of lines) expect(line).toMatchObject({ service: 'orders', function_name: 'orders-create' })
    const connecting = lines.find((line) => line.message === 'connecting') as { secrets: { db: unknown } }
    expect(connecting.secrets.db).toEqual({
      engine: 'postgres',
      dbname: 'orders',
      username: 'app',
      password: '****',
      host,
      port: 5432,
    })
    expectNowhere([password], outcome)
  })

  it('masks what the secret lists in redact, and everything with redact: all', async () => {
    // Prepare
    const refreshToken = canary()
    const clientId = canary()
    const everything = { region: `eu-${canary()}`, note: canary() }
    server.setSecret('canary/oauth', JSON.stringify({ oauth: { clientId, refresh: refreshToken } }))
    server.setSecret('canary/all', JSON.stringify(everything))
    const handler = stack({
      oauth: { id: 'canary/oauth', json: true, redact: ['oauth.refresh'] },
      all: { id: 'canary/all', json: true, redact: 'all' },
    })
    // Act
    const outcome = await invoke(handler)
    // Assess: the listed path and every value of the 'all' secret are masked; the rest is readable.
    expect(outcome.response).toMatchObject({ statusCode: 200 })
    expectNowhere([refreshToken, everything.region, everything.note], outcome)
    expect(captured.join('\n')).toContain(clientId)
  })
})
