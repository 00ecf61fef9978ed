// Every example, bundled with esbuild from where it lives in the repo (as a user bundling it would)
// and run in its own process: one copy of each package in the bundle (two copies of @lamina/core
// made timeoutGuard() answer 500 to everything), and every middleware working.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { events, lambdaEnvironmentDefaults, startXRayDaemon, type XRayDaemon } from '@lamina/testing'
import type { Metafile } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanEnv, ensurePackagesBuilt, repoRoot } from '../support/built-packages.ts'
import { functionsOf, parseSamTemplate } from '../support/sam-template.ts'
import { type SecretsManagerServer, startSecretsManagerServer } from '../support/secrets-manager-server.ts'
import { bundleForLambda, duplicatedPackages, packageCopies } from './bundle.ts'

const run = promisify(execFile)
const examplesDir = join(repoRoot, 'examples')
const runner = join(repoRoot, 'test/bundling/run-bundle.mjs')
const traceRoot = '1-5759e988-bd862e3fe1be46a994272793'

interface Invocation {
  event: unknown
  remainingMs: number
}

interface Outcome {
  results: { response?: any; thrown?: string }[]
  lines: Record<string, any>[]
  output: string
}

let workdir: string
const metafiles = new Map<string, Metafile>()
const bundles = new Map<string, string>()
/** Each bundled folder by name: every example, and the orders function the benchmarks use. */
const folders = new Map<string, string>()

beforeAll(async () => {
  // Prepare: the examples resolve @lamina/* to the packages' dist, as a user's project does.
  await ensurePackagesBuilt()
  workdir = await mkdtemp(join(tmpdir(), 'lamina-bundling-'))
  for (const name of await readdir(examplesDir)) folders.set(name, join(examplesDir, name))
  folders.set('orders-api', join(repoRoot, 'bench/fixtures/orders-api'))
  for (const [example, exampleDir] of folders) {
    if (!existsSync(join(exampleDir, 'template.yaml'))) continue
    // Every function of the template, from the source its Metadata.Lamina.Entry names.
    const template = parseSamTemplate(await readFile(join(exampleDir, 'template.yaml'), 'utf8'))
    for (const fn of functionsOf(template)) {
      const entry = String((fn.metadata.Lamina as { Entry?: string } | undefined)?.Entry ?? 'src/handler.ts')
      // Outside the repo, so the bundle cannot lean on the repo's node_modules at run time.
      const outfile = join(workdir, example, fn.id, 'index.mjs')
      metafiles.set(`${example}/${fn.id}`, await bundleForLambda(exampleDir, entry, outfile))
      if (entry === 'src/handler.ts') bundles.set(example, outfile)
    }
  }
}, 5 * 60_000)

afterAll(async () => {
  if (workdir) await rm(workdir, { recursive: true, force: true })
})

async function runBundle(example: string, invocations: Invocation[], env: Record<string, string>): Promise<Outcome> {
  const folder = join(bundles.get(example)!, '..')
  await writeFile(join(folder, 'invocations.json'), JSON.stringify(invocations))
  const resultsFile = join(folder, 'results.json')
  const { stdout, stderr } = await run(
    process.execPath,
    [runner, bundles.get(example)!, join(folder, 'invocations.json'), resultsFile],
    { cwd: folder, env: { ...cleanEnv, ...env }, timeout: 60_000 },
  )
  const output = `${stdout}\n${stderr}`
  const lines = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
  return { results: JSON.parse(await readFile(resultsFile, 'utf8')), lines, output }
}

describe('each example bundled with esbuild from its folder in the repo', () => {
  it('finds every example', async () => {
    expect([...bundles.keys()].sort()).toEqual(expect.arrayContaining(['hello', 'api-backend']))
  })

  it('holds one copy of every package, @lamina/core from its build', async () => {
    for (const [fn, metafile] of metafiles) {
      const example = fn.split('/')[0] as string
      // Act
      const copies = packageCopies(metafile, folders.get(example) as string)
      // Assess
      expect(duplicatedPackages(copies), `${fn}: packages bundled twice`).toEqual({})
      expect([...(copies.get('@lamina/core') ?? [])], `${fn}: @lamina/core`).toEqual([
        join(repoRoot, 'packages/core/dist'),
      ])
    }
  })

  it('hello: answers with the name and the header its middlewares add', async () => {
    // Act
    const { results } = await runBundle(
      'hello',
      [{ event: events.apiGatewayV2({ path: '/', query: { name: 'Ada' } }), remainingMs: 3000 }],
      lambdaEnvironmentDefaults('hello'),
    )
    // Assess
    expect(results).toEqual([
      {
        response: expect.objectContaining({
          statusCode: 200,
          headers: expect.objectContaining({ 'x-powered-by': 'lamina' }),
          body: JSON.stringify({ message: 'hello, Ada' }),
        }),
      },
    ])
  })

  describe('orders-api, with Lambda-like variables, Secrets Manager and an X-Ray daemon on 127.0.0.1', () => {
    let secretsManager: SecretsManagerServer
    let daemon: XRayDaemon
    let outcome: Outcome

    beforeAll(async () => {
      // Prepare: what AWS gives the function, served locally; the real SDK client and X-Ray SDK talk to it.
      secretsManager = await startSecretsManagerServer()
      secretsManager.setSecret(
        'orders/pricing',
        JSON.stringify({ apiKey: 'bundle-pricing-key-42', discountPercent: 10 }),
      )
      daemon = await startXRayDaemon()
      const post = (body: unknown) => events.apiGatewayV2({ method: 'POST', path: '/orders', body })
      // Act: a priced order, an unknown sku, an invalid body, and a request that starts with
      // less time left than the guard's 300 ms margin.
      outcome = await runBundle(
        'orders-api',
        [
          { event: post({ sku: 'lamina-mug', quantity: 3 }), remainingMs: 3000 },
          { event: post({ sku: 'nope', quantity: 1 }), remainingMs: 3000 },
          { event: post({ quantity: -1 }), remainingMs: 3000 },
          { event: post({ sku: 'lamina-mug', quantity: 1 }), remainingMs: 100 },
        ],
        {
          ...lambdaEnvironmentDefaults('orders-api'),
          ...daemon.environment,
          POWERTOOLS_SERVICE_NAME: 'orders-api',
          AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
        },
      )
    }, 60_000)

    afterAll(async () => {
      daemon?.close()
      await secretsManager?.close()
    })

    it('answers through the validator, the secret, the error mapper and the timeout guard', () => {
      const [priced, notFound, invalid, late] = outcome.results.map((result) => result.response)
      expect(outcome.results.filter((result) => result.thrown)).toEqual([])
      // 3 × 1200 cents, 10% off from the secret.
      expect(priced).toMatchObject({
        statusCode: 201,
        body: JSON.stringify({ sku: 'lamina-mug', quantity: 3, totalCents: 3240 }),
      })
      expect(notFound).toMatchObject({ statusCode: 404 })
      expect(invalid).toMatchObject({ statusCode: 400 })
      expect(late).toMatchObject({ statusCode: 504 })
      expect(secretsManager.callsFor('orders/pricing')).toBe(1)
    })

    it('logs with the Lambda context (a cold start first), publishes metrics, traces, and never prints the secret', async () => {
      const priced = outcome.lines.find((line) => line.message === 'order priced')
      expect(priced).toMatchObject({ service: 'orders-api', function_name: 'orders-api', cold_start: true })
      expect(outcome.lines.filter((line) => line._aws?.CloudWatchMetrics).length).toBeGreaterThanOrEqual(4)
      const segments = await daemon.waitFor(1)
      expect(segments.map((segment) => segment.trace_id)).toContain(traceRoot)
      expect(outcome.output).not.toContain('bundle-pricing-key-42')
    })
  })
})
