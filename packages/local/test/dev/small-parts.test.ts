// The dev server's small parts: schedule expressions, the terminal line, the history, the stand-ins.
import { join } from 'node:path'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvocationHistory, type NewRecord } from '../../src/dev/history.js'
import { formatLine, timePerMiddleware } from '../../src/dev/log-line.js'
import { parseDuration, rateMs } from '../../src/dev/schedule.js'
import { BadSqsBody, parseMessages } from '../../src/dev/sqs.js'
import { startStandIns } from '../../src/dev/stand-ins.js'
import { exampleFolder } from './support/dev-server.js'

describe('schedule expressions', () => {
  it('reads rate() in minutes, hours and days; cron() has no fixed interval', () => {
    expect(rateMs('rate(5 minutes)')).toBe(300_000)
    expect(rateMs('rate(1 minute)')).toBe(60_000)
    expect(rateMs(' rate(2 hours) ')).toBe(7_200_000)
    expect(rateMs('rate(1 day)')).toBe(86_400_000)
    expect(rateMs('cron(0 3 * * ? *)')).toBeUndefined()
    expect(rateMs('rate(5 fortnights)')).toBeUndefined()
  })

  it('reads --schedule-every durations and refuses anything else with the forms it takes', () => {
    expect([parseDuration('500ms'), parseDuration('10s'), parseDuration('2m'), parseDuration('1.5h')]).toEqual([
      500, 10_000, 120_000, 5_400_000,
    ])
    for (const bad of ['10', '0s', 'soon', '-1s']) {
      expect(() => parseDuration(bad)).toThrow(
        `--schedule-every "${bad}" is not a duration: write it like 500ms, 10s, 2m or 1h`,
      )
    }
  })

  it('property: n minutes is n × 60,000 ms', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), (n) => rateMs(`rate(${n} minutes)`) === n * 60_000))
  })
})

const record = (overrides: Partial<NewRecord> = {}): NewRecord => ({
  requestId: 'r',
  at: '2026-01-01T00:00:00.000Z',
  source: 'http',
  label: 'GET /',
  functionName: 'fn',
  status: 200,
  summary: '200',
  ok: true,
  cold: false,
  durationMs: 12.345,
  event: {},
  logs: [],
  timings: [],
  ...overrides,
})

describe('the terminal line', () => {
  it('sums each middleware over its phases, in the order they first ran, the handler by name', () => {
    const timings = [
      { phase: 'before', middleware: 'logging', startMs: 0, endMs: 2 },
      { phase: 'handler', middleware: 'handler', startMs: 2, endMs: 52 },
      { phase: 'after', middleware: 'logging', startMs: 52, endMs: 53.5 },
      { phase: 'cleanup', middleware: '', startMs: 54, endMs: 54 },
    ]
    expect(timePerMiddleware(timings)).toEqual([
      ['logging', 3.5],
      ['handler', 50],
      ['cleanup', 0],
    ])
    expect(formatLine(record({ timings, cold: true, durationMs: 55 }))).toBe(
      'GET / → 200  55 ms cold  logging 3.5 ms · handler 50 ms · cleanup 0.0 ms',
    )
    expect(formatLine(record())).toBe('GET / → 200  12 ms warm')
  })
})

describe('InvocationHistory', () => {
  it('keeps the last ones, numbered, and tells subscribers until they leave', () => {
    const history = new InvocationHistory(2)
    const seen: number[] = []
    const leave = history.subscribe((entry) => seen.push(entry.id))
    history.add(record())
    history.add(record())
    leave()
    history.add(record({ label: 'third' }))
    expect(history.list().map((entry) => [entry.id, entry.label])).toEqual([
      [2, 'GET /'],
      [3, 'third'],
    ])
    expect(seen).toEqual([1, 2])
  })
})

describe('stand-ins', () => {
  it('serves secrets.local.json to the real Secrets Manager client, and names what it cannot answer', async () => {
    // Prepare
    const dir = exampleFolder({ 'secrets.local.json': JSON.stringify({ 'app/db': { password: 'pw' }, plain: 'text' }) })
    const standIns = await startStandIns(dir)
    const client = new SecretsManagerClient({
      endpoint: standIns.env.AWS_ENDPOINT_URL_SECRETS_MANAGER,
      region: standIns.env.AWS_REGION,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    })
    try {
      // Act
      const json = await client.send(new GetSecretValueCommand({ SecretId: 'app/db' }))
      const text = await client.send(new GetSecretValueCommand({ SecretId: 'plain' }))
      const missing = client.send(new GetSecretValueCommand({ SecretId: 'nope' }))
      // Assess
      expect(JSON.parse(json.SecretString as string)).toEqual({ password: 'pw' })
      expect(text.SecretString).toBe('text')
      await expect(missing).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: expect.stringContaining('No secret "nope"'),
      })
      expect(standIns.descriptions).toEqual([
        expect.stringMatching(/^Secrets Manager on http:\/\/127\.0\.0\.1:\d+, serving secrets\.local\.json$/),
      ])
      const other = await fetch(standIns.env.AWS_ENDPOINT_URL_SECRETS_MANAGER as string, {
        method: 'POST',
        body: '{}',
        headers: { 'x-amz-target': 'secretsmanager.ListSecrets' },
      })
      expect(other.status).toBe(400)
      const broken = await fetch(standIns.env.AWS_ENDPOINT_URL_SECRETS_MANAGER as string, {
        method: 'POST',
        body: 'nope',
        headers: { 'x-amz-target': 'secretsmanager.GetSecretValue' },
      })
      expect(broken.status).toBe(500)
    } finally {
      client.destroy()
      await standIns.close()
    }
  })

  it('starts nothing for an example without local secrets', async () => {
    const standIns = await startStandIns(join(exampleFolder({ 'x.txt': '' })))
    expect(standIns).toMatchObject({ env: {}, descriptions: [] })
    await standIns.close()
  })
})

describe('SQS message bodies posted to /_lamina/sqs', () => {
  it('takes any non-empty JSON array of bodies as the batch, in order', () => {
    const body = fc.oneof(fc.string(), fc.dictionary(fc.string(), fc.integer()))
    fc.assert(
      fc.property(fc.array(body, { minLength: 1, maxLength: 20 }), (bodies) => {
        expect(parseMessages(JSON.stringify(bodies))).toEqual(bodies)
      }),
    )
  })

  it('refuses a batch larger than SQS delivers (10,000 messages), saying the limit', () => {
    const limit = JSON.stringify(Array.from({ length: 10_000 }, (_, index) => index))
    const over = JSON.stringify(Array.from({ length: 10_001 }, (_, index) => index))
    expect(parseMessages(limit)).toHaveLength(10_000)
    expect(() => parseMessages(over)).toThrow(new BadSqsBody('An SQS batch holds at most 10,000 messages.'))
  })
})
