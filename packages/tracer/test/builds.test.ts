// tracing() in every form a user ships it: the package's build run by Node as an ES module and as
// CommonJS, bundled by esbuild into one ES-module file (with the createRequire banner), split
// (`splitting: true`), by `lamina build`, and with a Powertools Tracer the user passes in. Each
// function is built from a folder outside the repo that resolves packages as a user's project does,
// and run in a fresh Node process: with tracing on it sends a real subsegment to an X-Ray daemon on
// 127.0.0.1; with tracing off it never loads node:http (an ES-module import of node:http makes
// Node 22 and 24 load their bundled undici at init, whether tracing runs or not).
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { buildFunctions } from '@lamina/local'
import { lambdaEnvironmentDefaults, newTraceId, startXRayDaemon, traceHeader, type XRayDaemon } from '@lamina/testing'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanEnv, ensurePackagesBuilt, repoRoot } from '../../../test/support/built-packages.js'

const run = promisify(execFile)
const requireBanner = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"

const esmFunction = `import { wrap } from '@lamina/core'
import { tracing } from '@lamina/tracer'
export const handler = wrap(async () => ({ statusCode: 200 })).use(tracing())
`
const cjsFunction = `const { wrap } = require('@lamina/core')
const { tracing } = require('@lamina/tracer')
exports.handler = wrap(async () => ({ statusCode: 200 })).use(tracing())
`
// The user's own Tracer (Powertools' ES build), passed in, with an annotation of the user's.
const userTracerFunction = `import { Tracer } from '@aws-lambda-powertools/tracer'
import { wrap } from '@lamina/core'
import { tracing } from '@lamina/tracer'
const tracer = new Tracer()
export const handler = wrap(async () => {
  tracer.putAnnotation('placedBy', 'user tracer')
  return { statusCode: 200 }
}).use(tracing({ tracer }))
`

// Imports the function (its init), answers one invocation, reports what Node loaded.
const invoke = `const { handler } = await import(process.argv[2])
const response = await handler({}, { functionName: 'orders', awsRequestId: 'c0ffee00-0000-4000-8000-000000000000',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders', getRemainingTimeInMillis: () => 5000 })
process.stdout.write(JSON.stringify({ response, http: process.moduleLoadList.includes('NativeModule http') }))
`

let folder: string
let daemon: XRayDaemon
/** Each form's file to import, by name. */
const functions = new Map<string, string>()

async function esbuildFunction(name: string, source: string, splitting: boolean): Promise<string> {
  const dir = join(folder, name)
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'function.ts'), source)
  await build({
    absWorkingDir: dir,
    entryPoints: ['function.ts'],
    ...(splitting
      ? { splitting: true, outdir: join(dir, 'out'), outExtension: { '.js': '.mjs' } }
      : { outfile: join(dir, 'out', 'function.mjs') }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: requireBanner },
    logLevel: 'silent',
  })
  return join(dir, 'out', 'function.mjs')
}

beforeAll(async () => {
  await ensurePackagesBuilt()
  daemon = await startXRayDaemon()
  folder = await mkdtemp(join(tmpdir(), 'lamina-tracer-builds-'))
  // Outside the repo; node_modules as an installed project has it.
  await symlink(join(repoRoot, 'node_modules'), join(folder, 'node_modules'), 'dir')
  await writeFile(join(folder, 'invoke.mjs'), invoke)
  await writeFile(join(folder, 'function.mjs'), esmFunction)
  await writeFile(join(folder, 'function.cjs'), cjsFunction)
  functions.set('unbundled ES module', join(folder, 'function.mjs'))
  functions.set('unbundled CommonJS', join(folder, 'function.cjs'))
  functions.set('esbuild, one ES-module file', await esbuildFunction('one-file', esmFunction, false))
  functions.set('esbuild, splitting: true', await esbuildFunction('split', esmFunction, true))
  functions.set(
    'esbuild, one file, a Tracer passed in',
    await esbuildFunction('user-tracer', userTracerFunction, false),
  )
  await mkdir(join(folder, 'lamina-build'))
  await symlink(join(repoRoot, 'node_modules'), join(folder, 'lamina-build', 'node_modules'), 'dir')
  await writeFile(join(folder, 'lamina-build', 'function.ts'), esmFunction)
  const [built] = await buildFunctions({
    cwd: join(folder, 'lamina-build'),
    target: 'function.ts',
    outdir: join(folder, 'lamina-build', 'out'),
  })
  functions.set('lamina build', built?.outfile as string)
}, 5 * 60_000)

afterAll(async () => {
  daemon?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

async function runFunction(name: string, env: Record<string, string>) {
  const inherited = Object.fromEntries(
    Object.entries(cleanEnv).filter(([key]) => !/^(AWS_|POWERTOOLS_|OTEL_|LAMINA_|_X_AMZN|_HANDLER|LAMBDA_)/.test(key)),
  )
  const { stdout } = await run(process.execPath, [join(folder, 'invoke.mjs'), functions.get(name) as string], {
    cwd: folder,
    env: { ...inherited, ...lambdaEnvironmentDefaults('orders'), POWERTOOLS_SERVICE_NAME: 'orders', ...env },
  })
  return JSON.parse(stdout) as { response: unknown; http: boolean }
}

const forms = [
  'unbundled ES module',
  'unbundled CommonJS',
  'esbuild, one ES-module file',
  'esbuild, splitting: true',
  'lamina build',
]

describe('tracing() in every build a user ships', () => {
  it.each(forms)('%s: sends the handler subsegment to X-Ray with tracing on', async (name) => {
    // Prepare
    const traceId = newTraceId()
    daemon.documents.length = 0

    // Act
    const { response } = await runFunction(name, {
      ...daemon.environment,
      _X_AMZN_TRACE_ID: traceHeader(traceId),
    })

    // Assess
    expect(response).toEqual({ statusCode: 200 })
    const documents = await daemon.waitFor(1)
    expect(documents).toHaveLength(1)
    expect(documents[0]).toMatchObject({
      name: '## index.handler',
      trace_id: traceId,
      annotations: { ColdStart: true, Service: 'orders' },
    })
  })

  it.each(forms)('%s: never loads node:http with tracing off', async (name) => {
    // Act: in Lambda, with tracing turned off.
    const outcome = await runFunction(name, { POWERTOOLS_TRACE_ENABLED: 'false' })

    // Assess
    expect(outcome).toEqual({ response: { statusCode: 200 }, http: false })
  })

  it('one file with the Tracer the user passes: the subsegment carries the user’s annotation', async () => {
    // Prepare
    const traceId = newTraceId()
    daemon.documents.length = 0

    // Act
    const { response } = await runFunction('esbuild, one file, a Tracer passed in', {
      ...daemon.environment,
      _X_AMZN_TRACE_ID: traceHeader(traceId),
    })

    // Assess
    expect(response).toEqual({ statusCode: 200 })
    const [document] = await daemon.waitFor(1)
    expect(document).toMatchObject({
      name: '## index.handler',
      trace_id: traceId,
      annotations: { placedBy: 'user tracer', ColdStart: true },
    })
  })
})
