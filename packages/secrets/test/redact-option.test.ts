import { randomUUID } from 'node:crypto'
import { containsSecret } from '@lamina/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secrets } from '../src/index.ts'
import {
  exposeSecrets,
  run,
  type SecretsManagerServer,
  startSecretsManagerServer,
  warningCollector,
} from './support.ts'

let server: SecretsManagerServer

beforeAll(async () => {
  server = await startSecretsManagerServer()
})
afterAll(() => server.close())

// The registry is process-wide: each secret's values are unique to this run.
const unique = (label: string) => `${label}-${randomUUID()}`
const storeJson = (value: Record<string, unknown>) => {
  const id = unique('redact/secret')
  server.setSecret(id, JSON.stringify(value))
  return id
}

describe('redact: checked when secrets() is called', () => {
  it.each([
    ['a word other than all', 'everything', 'has redact: "everything"'],
    ['a single path not in a list', 'password', 'has redact: "password"'],
    ['an empty path', [''], 'has redact: […, "", …]'],
    ['an empty segment', ['oauth..refresh'], 'has redact: […, "oauth..refresh", …]'],
    ['a number in the list', ['password', 7], 'has redact: […, number, …]'],
    ['null', null, 'has redact: null'],
    ['a long word', 'x'.repeat(50), `has redact: "${'x'.repeat(40)}…"`],
  ])('refuses %s, saying what to write', (_case, redact, shown) => {
    // Act
    const create = () => secrets({ db: { id: 'prod/db', redact: redact as never } })
    // Assess
    expect(create).toThrow(TypeError)
    expect(create).toThrow(`secrets(): "db" ${shown}; use 'all', or a list of dotted paths`)
  })

  it("accepts 'all', an empty list and dotted paths", () => {
    // Act
    const create = () =>
      secrets({
        all: { id: 'a', redact: 'all' },
        none: { id: 'b', redact: [] },
        paths: { id: 'c', redact: ['password', 'oauth.refresh', 'users.*.pin'] },
      })
    // Assess
    expect(create).not.toThrow()
  })
})

describe('redact through the middleware', () => {
  it('masks the union of what two names for one secret list', async () => {
    // Prepare
    const refresh = unique('refresh')
    const signing = unique('signing')
    const clientId = unique('client')
    const id = storeJson({ oauth: { refresh, clientId }, signing })
    const handler = exposeSecrets(
      secrets(
        {
          first: { id, json: true, redact: ['oauth.refresh'] },
          second: { id, json: true, redact: ['signing', 'oauth.refresh'] },
        },
        { endpoint: server.endpoint },
      ),
    )
    // Act
    await run(handler)
    // Assess
    expect(server.callsFor(id)).toBe(1)
    expect([containsSecret(refresh), containsSecret(signing), containsSecret(clientId)]).toEqual([true, true, false])
  })

  it('warns once, naming the secret and the path, when a listed path matches nothing', async () => {
    // Prepare
    const refresh = unique('refresh')
    const id = storeJson({ oauth: { refresh } })
    const { warnings, logger } = warningCollector()
    const handler = exposeSecrets(
      secrets(
        { oauth: { id, json: true, redact: ['oauth.refersh'] } },
        { endpoint: server.endpoint, logger, ttlMs: 0, staleWhileRevalidateMs: 0 },
      ),
    )
    // Act: two fetches (ttlMs 0), one warning.
    await run(handler)
    await run(handler)
    // Assess
    expect(server.callsFor(id)).toBe(2)
    expect(warnings).toEqual([
      {
        message: 'A redact path matches nothing in this secret, so nothing is masked there; check its spelling.',
        details: { secretId: id, path: 'oauth.refersh' },
      },
    ])
    expect(JSON.stringify(warnings)).not.toContain(refresh)
  })

  it('warns once when nothing in a JSON secret is masked, unless the definition says redact: []', async () => {
    // Prepare
    const flags = { feature: unique('flag'), region: 'eu-west-1' }
    const unreviewed = storeJson(flags)
    const reviewed = storeJson(flags)
    const { warnings, logger } = warningCollector()
    const handler = exposeSecrets(
      secrets(
        { flags: { id: unreviewed, json: true }, checked: { id: reviewed, json: true, redact: [] } },
        { endpoint: server.endpoint, logger, ttlMs: 0, staleWhileRevalidateMs: 0 },
      ),
    )
    // Act
    await run(handler)
    await run(handler)
    // Assess
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.message).toContain('Nothing in this JSON secret is masked in logs')
    expect(warnings[0]?.details).toEqual({ secretId: unreviewed })
    expect(containsSecret(flags.feature)).toBe(false)
  })
})
