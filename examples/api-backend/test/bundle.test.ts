// What gets deployed is the bundle `lamina build` writes, not these sources: build it from the
// template, run it once in the local runtime (a child process speaking Lambda's Runtime API) against
// dynalite and a Secrets Manager stand-in, and print its size.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { type BuiltFunction, buildFunctions, startLocalFunction } from '@lamina/local'
import { events } from '@lamina/testing'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ensurePackagesBuilt, repoRoot } from '../../../test/support/built-packages.ts'
import { type Dynalite, startDynalite } from '../../../test/support/dynalite.ts'
import { type SecretsManagerServer, startSecretsManagerServer } from '../../../test/support/secrets-manager-server.ts'
import { apiKey } from './support/books-api.ts'
import { createTemplateTable, templateResources } from './support/template-table.ts'

let dynalite: Dynalite
let secretsManager: SecretsManagerServer
let outdir: string

beforeAll(async () => {
  await ensurePackagesBuilt() // the bundle takes @lamina/* from each package's dist/, as a user's would
  dynalite = await startDynalite()
  await createTemplateTable(dynalite.client(), 'BooksTable')
  secretsManager = await startSecretsManagerServer({ ApiKeySecret: JSON.stringify({ apiKey }) })
  outdir = await mkdtemp(join(tmpdir(), 'api-backend-build-'))
}, 5 * 60_000)

afterAll(async () => {
  await secretsManager?.close()
  await dynalite?.stop()
  if (outdir) await rm(outdir, { recursive: true, force: true })
})

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

test('the bundle lamina build writes for ApiFunction adds and lists a book in the local runtime', async () => {
  // Prepare: build as `npx lamina build examples/api-backend` does (here into a temporary folder).
  const functions = await buildFunctions({ target: 'examples/api-backend', cwd: repoRoot, outdir })
  expect(functions.map((fn) => fn.name)).toEqual(['ApiFunction'])
  const built = functions[0] as BuiltFunction
  console.log(`api-backend ApiFunction bundle: ${kb(built.bytes)} minified, ${kb(built.gzipBytes)} min+gz`)
  // Where the template's CodeUri and Handler look for it.
  const { CodeUri, Handler } = templateResources().ApiFunction?.Properties ?? {}
  expect(join('.lamina/build', relative(outdir, built.outfile))).toBe(join(String(CodeUri), 'handler.mjs'))
  expect(built.handler).toBe(Handler)
  expect(built.duplicates).toEqual([])
  const fn = await startLocalFunction({
    handler: built.handler,
    cwd: dirname(built.outfile),
    timeoutSeconds: 10,
    env: {
      TABLE_NAME: 'BooksTable',
      API_KEY_SECRET_ID: 'ApiKeySecret',
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      POWERTOOLS_SERVICE_NAME: 'books-api',
      POWERTOOLS_TRACE_ENABLED: 'false', // no X-Ray daemon here
    },
  })
  try {
    const book = { isbn: '9780441478125', title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin' }
    // Act
    const created = await fn.invoke(
      events.apiGatewayV2({ method: 'POST', path: '/books', headers: { 'x-api-key': apiKey }, body: book }),
    )
    const listed = await fn.invoke(events.apiGatewayV2({ method: 'GET', path: '/books' }))
    // Assess
    expect(created.error).toBeUndefined()
    expect(created.cold).toBe(true)
    expect(created.response).toMatchObject({ statusCode: 201 })
    expect(listed.response).toMatchObject({ statusCode: 200 })
    const body = JSON.parse((listed.response as { body: string }).body)
    expect(body).toEqual({ items: [expect.objectContaining({ ...book, version: 1 })], nextCursor: null })
    expect(created.logs.join('\n')).toContain('book added')
  } finally {
    await fn.close()
  }
}, 120_000)
