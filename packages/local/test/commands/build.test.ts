// `lamina build` end to end: real esbuild bundles of the examples, run through the emulator.
import { execFile } from 'node:child_process'
import { chmod, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { events, startXRayDaemon } from '@lamina/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensurePackagesBuilt } from '../../../../test/support/built-packages.js'
import { startOtlpReceiver } from '../../../../test/support/otlp-receiver.js'
import { installRuntimeInterfaceClient } from '../../../../test/support/runtime-interface-client.js'
import { startSecretsManagerServer } from '../../../../test/support/secrets-manager-server.js'
import { buildCommand } from '../../src/commands/build.js'
import { type BuiltFunction, buildFunctions, startLocalFunction } from '../../src/index.js'

const root = fileURLToPath(new URL('../../../../', import.meta.url))
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const run = promisify(execFile)
let out: string

beforeAll(async () => {
  // Bundles take the @lamina/* packages as users get them: their built dist.
  await ensurePackagesBuilt()
  out = await mkdtemp(join(tmpdir(), 'lamina-build-'))
}, 20 * 60_000)
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true })
})

async function build(args: string[], cwd = root) {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let text = ''
  let err = ''
  stdout.on('data', (chunk) => {
    text += chunk
  })
  stderr.on('data', (chunk) => {
    err += chunk
  })
  const code = await buildCommand(args, { stdout, stderr, cwd })
  return { code, out: text, err }
}

/** The text of every file of a built function: the handler file first, then its chunks. */
async function filesOf(fn: BuiltFunction): Promise<Map<string, string>> {
  const names = [basename(fn.outfile), ...fn.chunks]
  return new Map(
    await Promise.all(
      names.map(async (name) => [name, await readFile(join(dirname(fn.outfile), name), 'utf8')] as const),
    ),
  )
}

/** Runs one built bundle from its own folder through the emulator, as Lambda would. */
async function runBundle(fn: BuiltFunction, event: unknown, env: Record<string, string> = {}) {
  const local = await startLocalFunction({ handler: fn.handler, cwd: dirname(fn.outfile), env, timeoutSeconds: 10 })
  try {
    return await local.invoke(event)
  } finally {
    await local.close()
  }
}

describe('lamina build', () => {
  it('bundles each function of a SAM template and prints its size, minified and gzipped', async () => {
    // Act
    const { code, out: printed } = await build(['examples/hello', '--outdir', join(out, 'hello')])

    // Assess
    expect(code).toBe(0)
    expect(printed).toMatch(
      /^Function +Bundle +Size +min\+gz +at init\nHelloFunction +\S+hello\/HelloFunction\/handler\.mjs +[\d.]+ KB +[\d.]+ KB +[\d.]+ KB\n$/,
    )
    const [built] = await buildFunctions({ cwd: root, target: 'examples/hello', outdir: join(out, 'hello') })
    expect(built).toMatchObject({
      name: 'HelloFunction',
      handler: 'handler.handler',
      banner: false,
      duplicates: [],
      chunks: [],
    })
    expect(built!.gzipBytes).toBeLessThan(built!.bytes)
    expect(built!.initBytes).toBe(built!.bytes)
    const code2 = await readFile(built!.outfile, 'utf8')
    expect(code2).not.toContain('createRequire')
    expect(code2).toMatch(/export\{\w+ as handler\}/)
    const result = await runBundle(built!, events.apiGatewayV2({ method: 'GET', path: '/', query: { name: 'ada' } }))
    expect(result.response).toMatchObject({ statusCode: 200, body: '{"message":"hello, ada"}' })
  })

  it('adds the createRequire banner only to a bundle that needs it, and the bundle answers', async () => {
    // Prepare: orders-api through a local Secrets Manager endpoint, as deployed (AWS_EXECUTION_ENV set)
    const secrets = await startSecretsManagerServer()
    secrets.setSecret('orders/pricing', JSON.stringify({ apiKey: 'local-key-123', discountPercent: 10 }))

    // Act
    const [built] = await buildFunctions({
      cwd: root,
      target: 'bench/fixtures/orders-api',
      outdir: join(out, 'orders'),
    })
    const result = await runBundle(
      built!,
      events.apiGatewayV2({ method: 'POST', path: '/orders', body: { sku: 'lamina-mug', quantity: 3 } }),
      {
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        POWERTOOLS_TRACE_ENABLED: 'false',
      },
    ).finally(() => secrets.close())

    // Assess
    expect(built).toMatchObject({ name: 'OrdersFunction', banner: true, duplicates: [] })
    expect((await readFile(built!.outfile, 'utf8')).startsWith("import { createRequire } from 'node:module';")).toBe(
      true,
    )
    expect(result.error).toBeUndefined()
    expect(result.response).toMatchObject({ statusCode: 201 })
    expect(JSON.parse((result.response as { body: string }).body)).toEqual({
      sku: 'lamina-mug',
      quantity: 3,
      totalCents: 3240,
    })
  })

  it('leaves the AWS SDK to the runtime with --sdk external', async () => {
    const [bundled] = await buildFunctions({
      cwd: root,
      target: 'bench/fixtures/orders-api',
      outdir: join(out, 'sdk-in'),
    })
    const [external] = await buildFunctions({
      cwd: root,
      target: 'bench/fixtures/orders-api',
      outdir: join(out, 'sdk-out'),
      sdk: 'external',
    })
    const externalCode = [...(await filesOf(external!)).values()].join('\n')
    // @lamina/secrets loads the client on first use: left as an import the runtime resolves
    expect(externalCode).toContain('import("@aws-sdk/client-secrets-manager")')
    // and none of the client's own code (its operation names) is in the bundle
    expect(externalCode).not.toContain('"BatchGetSecretValue"')
    // Bundled, the client is in a chunk of its own, read on first use, not at init.
    const bundledFiles = await filesOf(bundled!)
    expect(bundledFiles.get('handler.mjs')).not.toContain('"BatchGetSecretValue"')
    expect([...bundledFiles.values()].some((code) => code.includes('"BatchGetSecretValue"'))).toBe(true)
    expect(external!.bytes).toBeLessThan(bundled!.bytes)
  })

  it('splits what import() loads into chunks: tracing off never reads them, each tracing mode loads its own', async () => {
    // Prepare: observability(), whose tracer imports the X-Ray SDK or OpenTelemetry only when on
    const [built] = await buildFunctions({ cwd: fixtures, target: 'traced.ts', outdir: join(out, 'traced') })
    const files = await filesOf(built!)
    const holding = (marker: string) => [...files].filter(([, code]) => code.includes(marker)).map(([name]) => name)
    const xraySdk = holding('AWS_XRAY_DAEMON_ADDRESS')
    const otelSdk = holding('OTEL_BSP_MAX_QUEUE_SIZE')
    const lazy = [...new Set([...xraySdk, ...otelSdk])]
    const daemon = await startXRayDaemon()
    const receiver = await startOtlpReceiver()
    const event = events.apiGatewayV2({ method: 'GET', path: '/' })

    // Act: the X-Ray mode on (Lambda with active tracing), the OpenTelemetry mode on, then tracing
    // off from a copy without the chunks that hold either SDK
    const xray = await runBundle(built!, event, { AWS_XRAY_DAEMON_ADDRESS: daemon.address })
    const documents = await daemon.waitFor(1).finally(() => daemon.close())
    const otel = await runBundle(built!, event, {
      LAMINA_TRACING: 'otel',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    })
    const spans = await receiver.waitFor(1).finally(() => receiver.close())
    const stripped = join(out, 'traced-stripped')
    await cp(dirname(built!.outfile), stripped, { recursive: true })
    await Promise.all(lazy.map((name) => rm(join(stripped, name))))
    const off = await runBundle({ ...built!, outfile: join(stripped, basename(built!.outfile)) }, event, {
      POWERTOOLS_TRACE_ENABLED: 'false',
    })

    // Assess: each SDK is in a chunk of its own, not in what the handler loads at init
    expect(xraySdk).toHaveLength(1)
    expect(otelSdk.length).toBeGreaterThan(0)
    expect(lazy).not.toContain('traced.mjs')
    const lazyBytes = lazy.reduce((total, name) => total + Buffer.byteLength(files.get(name)!), 0)
    expect(built!.initBytes).toBeLessThanOrEqual(built!.bytes - lazyBytes)
    // The X-Ray SDK calls require(): the banner is in every file, so the chunk that holds it has it.
    expect(built!.banner).toBe(true)
    for (const code of files.values())
      expect(code.startsWith("import { createRequire } from 'node:module';")).toBe(true)
    expect(xray.response).toMatchObject({ statusCode: 200 })
    expect(documents.map((document) => document.name)).toContain('## traced.handler')
    expect(otel.response).toMatchObject({ statusCode: 200 })
    expect(spans.map((span) => span.name)).toEqual(['traced'])
    expect(off.error).toBeUndefined()
    expect(off.response).toMatchObject({ statusCode: 200, body: 'traced' })
  }, 120_000)

  it('takes exactly one copy of @lamina/core when the tsconfig maps @lamina/* to the sources', async () => {
    // Act
    const [built] = await buildFunctions({
      cwd: join(fixtures, 'paths-project'),
      target: 'src/handler.handler',
      outdir: join(out, 'paths'),
    })

    // Assess: core's own message appears once, and the bundle answers through the built errors package
    const code = await readFile(built!.outfile, 'utf8')
    expect(code.split('wrap() options must be an object').length - 1).toBe(1)
    expect(built!.duplicates).toEqual([])
    const result = await runBundle(built!, events.apiGatewayV2({ method: 'GET', path: '/' }))
    expect(result.response).toMatchObject({ statusCode: 404 })
  })

  it('builds one handler given as a file, naming the bundle after it', async () => {
    const { code, out: printed } = await build(['echo-cjs.cjs', '--outdir', join(out, 'one'), '--json'], fixtures)
    expect(code).toBe(0)
    const [built] = JSON.parse(printed) as BuiltFunction[]
    expect(built).toMatchObject({ name: 'echo-cjs', handler: 'echo-cjs.handler' })
    expect(built!.outfile).toBe(join(out, 'one', 'echo-cjs', 'echo-cjs.mjs'))
    expect((await runBundle(built!, { x: 1 })).response).toMatchObject({ module: 'cjs', event: { x: 1 } })
  })

  it.each([
    [
      ['packages/local/test/fixtures/events'],
      1,
      /^lamina build: no template\.yaml in packages\/local\/test\/fixtures\/events: add a SAM template, or pass one handler/,
    ],
    [
      ['nowhere.handler'],
      1,
      /^lamina build: nothing to build at nowhere\.handler: it is neither a folder with a template\.yaml nor a handler file/,
    ],
    [
      ['examples/hello', '--sdk', 'none'],
      2,
      /^lamina build: --sdk none is not bundle or external: write --sdk bundle \(the default\) or --sdk external\./,
    ],
    [
      ['examples/hello', '--minify'],
      2,
      /^lamina build: unknown option --minify: lamina build takes --sdk, --outdir, --node, --json, --compile-cache\./,
    ],
    [['examples/hello', 'bench/fixtures/orders-api'], 2, /^lamina build: one folder or handler at a time\./],
    [
      ['packages/local/test/fixtures/paths-project/src/needs-missing.ts'],
      1,
      /^lamina build: needs-missing did not bundle: Could not resolve "\.\/not-here\.js" \(.*needs-missing\.ts:2\)\. Fix the import or the code there\./,
    ],
  ])('bad input %j: one line, non-zero exit', async (args, exit, message) => {
    const { code, out: printed, err } = await build([...args, '--outdir', join(out, 'bad')])
    expect(code).toBe(exit)
    expect(printed).toBe('')
    expect(err).toMatch(message)
    expect(err.trimEnd().split('\n')).toHaveLength(1)
  })

  it('ships a compile cache made with Node 24 that a read-only copy at another path loads, chunks included', async () => {
    // Prepare: Node 24, as nodejs24.x (the binary the aws-lambda-ric test installs); a function split into chunks
    const { node } = await installRuntimeInterfaceClient()
    const [built] = await buildFunctions({
      cwd: fixtures,
      target: 'traced.ts',
      outdir: join(out, 'cache'),
      compileCache: true,
      nodePath: node,
    })
    const shipped = join(out, 'elsewhere', 'var', 'task')
    await cp(dirname(built!.outfile), shipped, { recursive: true })
    await chmod(shipped, 0o555)
    const daemon = await startXRayDaemon()
    const invoke = async (env: Record<string, string>) => {
      const local = await startLocalFunction({ handler: built!.handler, cwd: shipped, nodePath: node, env })
      return local.invoke(events.apiGatewayV2({ method: 'GET', path: '/' })).finally(() => local.close())
    }

    // Act: tracing off (what the cache was made with), then on (its chunks load after the cache's);
    // and the handler file imported by Node 24 alone, which says which cached code V8 accepted (the
    // local runtime's loop, run from source here, loads through tsx, which rewrites what it loads).
    const off = await invoke({ POWERTOOLS_TRACE_ENABLED: 'false' })
    const on = await invoke({ AWS_XRAY_DAEMON_ADDRESS: daemon.address })
    const documents = await daemon.waitFor(1).finally(() => daemon.close())
    const { stderr } = await run(node, ['--input-type=module', '-e', `await import('./${basename(built!.outfile)}')`], {
      cwd: shipped,
      env: { PATH: process.env.PATH ?? '', NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
    })
    const accepted = stderr.split('\n').filter((line) => / was accepted/.test(line))
    await chmod(shipped, 0o755)

    // Assess
    expect(built!.compileCache?.nodeVersion).toMatch(/^24\./)
    expect(built!.compileCache?.bytes).toBeGreaterThan(0)
    const [cacheDir] = await readdir(join(shipped, '.compile-cache'))
    expect(cacheDir).toMatch(/^v24\./)
    expect(await readFile(built!.outfile, 'utf8')).toContain(
      "enableCompileCache({ directory: new URL('./.compile-cache', import.meta.url).pathname, portable: true })",
    )
    expect(built!.chunks).toContain('traced.bundle.mjs')
    // The bundle's entry and the chunks it imports came from the cache, at its new path.
    expect(accepted.some((line) => line.includes(`file://${shipped}/traced.bundle.mjs was accepted`))).toBe(true)
    expect(accepted.length).toBeGreaterThan(1)
    // Lambda runs the function as another user: every file of the cache is readable by all.
    const cacheFiles = await readdir(join(shipped, '.compile-cache', cacheDir!))
    expect(cacheFiles.length).toBeGreaterThan(0)
    for (const file of cacheFiles) {
      expect((await stat(join(shipped, '.compile-cache', cacheDir!, file))).mode & 0o777).toBe(0o644)
    }
    expect(off.response).toMatchObject({ statusCode: 200, body: 'traced' })
    expect(on.response).toMatchObject({ statusCode: 200, body: 'traced' })
    expect(documents.map((document) => document.name)).toContain('## traced.handler')
  }, 300_000)

  it('refuses to make a compile cache with a Node older than 22, saying which to use', async () => {
    const fakeNode = join(out, 'node20')
    await writeFile(fakeNode, '#!/bin/sh\necho 20.20.2\n')
    await chmod(fakeNode, 0o755)
    const { code, err } = await build([
      'examples/hello',
      '--compile-cache',
      '--node',
      fakeNode,
      '--outdir',
      join(out, 'old'),
    ])
    expect(code).toBe(1)
    expect(err).toBe(
      `lamina build: HelloFunction: --compile-cache needs Node 22 or later to make the cache (found 20.20.2 at ${fakeNode}): pass --node <path to Node 24>, the nodejs24.x runtime's version.\n`,
    )
  })

  it('runs through the lamina CLI', async () => {
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', 'packages/local/src/cli.ts', 'build', 'examples/hello', '--outdir', join(out, 'cli')],
        { cwd: root },
        (error, stdout) => (error ? reject(error) : resolve({ stdout })),
      ),
    )
    expect(stdout).toMatch(/^Function +Bundle/)
    expect(stdout).toContain('HelloFunction')
  })
})
