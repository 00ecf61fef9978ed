// `lamina build` end to end: real esbuild bundles of the examples, run through the emulator.
import { execFile } from 'node:child_process'
import { chmod, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { events } from '@lamina/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensurePackagesBuilt } from '../../../../test/support/built-packages.js'
import { installRuntimeInterfaceClient } from '../../../../test/support/runtime-interface-client.js'
import { startSecretsManagerServer } from '../../../../test/support/secrets-manager-server.js'
import { buildCommand } from '../../src/commands/build.js'
import { type BuiltFunction, buildFunctions, startLocalFunction } from '../../src/index.js'

const root = fileURLToPath(new URL('../../../../', import.meta.url))
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
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
      /^Function +Bundle +Size +min\+gz\nHelloFunction +\S+hello\/HelloFunction\/handler\.mjs +[\d.]+ KB +[\d.]+ KB\n$/,
    )
    const [built] = await buildFunctions({ cwd: root, target: 'examples/hello', outdir: join(out, 'hello') })
    expect(built).toMatchObject({ name: 'HelloFunction', handler: 'handler.handler', banner: false, duplicates: [] })
    expect(built!.gzipBytes).toBeLessThan(built!.bytes)
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
    const [built] = await buildFunctions({ cwd: root, target: 'examples/orders-api', outdir: join(out, 'orders') })
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
    const [bundled] = await buildFunctions({ cwd: root, target: 'examples/orders-api', outdir: join(out, 'sdk-in') })
    const [external] = await buildFunctions({
      cwd: root,
      target: 'examples/orders-api',
      outdir: join(out, 'sdk-out'),
      sdk: 'external',
    })
    const code = await readFile(external!.outfile, 'utf8')
    // @lamina/secrets loads the client on first use: left as an import the runtime resolves
    expect(code).toContain('import("@aws-sdk/client-secrets-manager")')
    // and none of the client's own code (its operation names) is in the bundle
    expect(code).not.toContain('"BatchGetSecretValue"')
    expect(await readFile(bundled!.outfile, 'utf8')).toContain('"BatchGetSecretValue"')
    expect(external!.bytes).toBeLessThan(bundled!.bytes)
  })

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
    [['examples/hello', 'examples/orders-api'], 2, /^lamina build: one folder or handler at a time\./],
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

  it('ships a compile cache made with Node 24 that a read-only copy at another path loads', async () => {
    // Prepare: Node 24, as nodejs24.x (the binary the aws-lambda-ric test installs)
    const { node } = await installRuntimeInterfaceClient()
    const [built] = await buildFunctions({
      cwd: root,
      target: 'examples/hello',
      outdir: join(out, 'cache'),
      compileCache: true,
      nodePath: node,
    })
    const shipped = join(out, 'elsewhere', 'var', 'task')
    await cp(dirname(built!.outfile), shipped, { recursive: true })
    await chmod(shipped, 0o555)

    // Act
    const local = await startLocalFunction({ handler: built!.handler, cwd: shipped, nodePath: node })
    const result = await local.invoke(events.apiGatewayV2({ method: 'GET', path: '/' })).finally(() => local.close())
    await chmod(shipped, 0o755)

    // Assess
    expect(built!.compileCache?.nodeVersion).toMatch(/^24\./)
    expect(built!.compileCache?.bytes).toBeGreaterThan(0)
    expect(await readdir(join(shipped, '.compile-cache'))).toEqual([expect.stringMatching(/^v24\./)])
    expect(await readFile(built!.outfile, 'utf8')).toContain(
      "enableCompileCache({ directory: new URL('./.compile-cache', import.meta.url).pathname, portable: true })",
    )
    expect(result.response).toMatchObject({ statusCode: 200 })
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
