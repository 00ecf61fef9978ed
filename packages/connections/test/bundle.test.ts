// What a Lambda function carries: the package built by its own tsup config, then bundled as
// `lamina build` bundles a function (esbuild, ESM, platform node, minified). A function that
// imports clients() or tracedFetch() alone must not carry undici (166 KB of a min+gz bundle) or
// @smithy/node-http-handler's import from keepAliveAgents().
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build as bundle } from 'esbuild'
import { build, type Options } from 'tsup'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const repoModules = fileURLToPath(new URL('../../../node_modules', import.meta.url))
let dist: string

beforeAll(async () => {
  const built = await mkdtemp(join(tmpdir(), 'lamina-connections-dist-'))
  dist = join(built, 'dist')
  // The package's own build config (read at run time: it is not part of the typed sources).
  const configFile = join(packageDir, 'tsup.config.ts')
  const { default: options } = (await import(configFile)) as { default: Options & { entry: string[] } }
  await build({
    ...options,
    // ESM is what bundlers read (the package's `import` condition); no types needed here.
    format: ['esm'],
    dts: false,
    silent: true,
    config: false,
    entry: options.entry.map((entry) => join(packageDir, entry)),
    tsconfig: join(packageDir, 'tsconfig.json'),
    outDir: dist,
    // As tsup does when run in the package (it reads the package.json in its working directory).
    external: Object.keys(packageJson.dependencies),
  })
  // The package.json beside dist/ is what says "sideEffects": false to the bundler.
  await copyFile(join(packageDir, 'package.json'), join(built, 'package.json'))
})
afterAll(() => rm(join(dist, '..'), { recursive: true, force: true }))

/** The packages (node_modules names) that put bytes in the bundle of `code`. */
async function packagesBundledBy(code: string): Promise<Set<string>> {
  const entry = join(dist, '..', `entry-${Math.random().toString(36).slice(2)}.mjs`)
  await writeFile(entry, code.replaceAll('@lamina/connections', join(dist, 'index.js')))
  const result = await bundle({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    write: false,
    metafile: true,
    logLevel: 'silent',
    nodePaths: [repoModules],
  })
  const [output] = Object.values(result.metafile.outputs)
  const names = Object.entries(output?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1])
  return new Set(names.filter((name) => name !== undefined))
}

describe('bundle of a function (from the built dist)', () => {
  it('leaves undici and @smithy/node-http-handler out of a function that uses clients() alone', async () => {
    // Prepare
    const code = "import { clients } from '@lamina/connections'\nexport const use = clients({ db: () => ({}) })\n"
    // Act
    const bundled = await packagesBundledBy(code)
    // Assess
    expect(bundled.has('undici')).toBe(false)
    expect(bundled.has('@smithy/node-http-handler')).toBe(false)
  })

  it('leaves undici out of a function that uses tracedFetch() alone', async () => {
    // Prepare
    const code = "import { tracedFetch } from '@lamina/connections'\nexport const http = tracedFetch()\n"
    // Act
    const bundled = await packagesBundledBy(code)
    // Assess
    expect(bundled.has('undici')).toBe(false)
  })

  it('bundles undici and the SDK handler for a function that calls keepAliveAgents()', async () => {
    // Prepare: the same check sees undici when it is used, so the two cases above can fail.
    const code =
      "import { clients, keepAliveAgents } from '@lamina/connections'\n" +
      'const agents = keepAliveAgents()\n' +
      'export const use = clients({ http: () => agents.dispatcher })\n'
    // Act
    const bundled = await packagesBundledBy(code)
    // Assess
    expect(bundled.has('undici')).toBe(true)
    expect(bundled.has('@smithy/node-http-handler')).toBe(true)
  })
})
