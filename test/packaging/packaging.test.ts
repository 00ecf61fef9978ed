// Teams install single packages: build the tree, `npm pack` every package, install the tarballs
// into an empty project outside the repo (no workspace links), then load each one from ESM and
// CommonJS, run a wrapped handler, and typecheck a consumer with TypeScript 5.9 and 7, with
// exactOptionalPropertyTypes off and on. Powertools is a peer dependency: the consumer is
// installed with the lowest version the peer range allows and with the latest one the registry
// has in that range, each with one copy of @aws-lambda-powertools/commons and the observability
// stack working. A broken exports map, a missing file or a second Powertools fails here, not for a user.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanEnv, ensurePackagesBuilt, repoRoot as root } from '../support/built-packages.ts'
import {
  cjsHandlerScript,
  consumerTsconfig,
  esmHandlerScript,
  importAllScript,
  observabilityScript,
  requireAllScript,
  typedCjsConsumer,
  typedEsmConsumer,
} from './consumer.js'

const run = promisify(execFile)
const minutes = 60_000

interface PackageInfo {
  name: string
  folder: string
  placeholder: boolean
  manifest: Record<string, any>
}

type LoadReport = Record<string, { exports: string[] } | { error: string }>

const exec = (command: string, args: string[], cwd: string, timeout = 3 * minutes) =>
  run(command, args, { cwd, env: cleanEnv, timeout, maxBuffer: 64 * 1024 * 1024 })

/** A placeholder package exports nothing yet: its src/index.ts is only `export {}` (and comments). */
const isPlaceholder = (source: string) =>
  source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/\s+/g, '') === 'export{}'

async function readPackages(): Promise<PackageInfo[]> {
  const folders = (await readdir(join(root, 'packages'))).sort()
  return Promise.all(
    folders.map(async (folder) => {
      const manifest = JSON.parse(await readFile(join(root, 'packages', folder, 'package.json'), 'utf8'))
      const source = await readFile(join(root, 'packages', folder, 'src/index.ts'), 'utf8')
      return { name: manifest.name, folder, placeholder: isPlaceholder(source), manifest }
    }),
  )
}

/** Every file path an exports map points at, with the conditions that lead to it. */
function exportTargets(exportsMap: unknown, trail: string[] = []): { conditions: string; target: string }[] {
  if (typeof exportsMap === 'string') return [{ conditions: trail.join(' > '), target: exportsMap }]
  if (typeof exportsMap !== 'object' || exportsMap === null) return []
  return Object.entries(exportsMap).flatMap(([key, value]) => exportTargets(value, [...trail, key]))
}

const powertools = ['logger', 'metrics', 'tracer'].map((name) => `@aws-lambda-powertools/${name}`)

/** The lowest version the packages' Powertools peer range allows (`^2.36.0` → `2.36.0`). */
const lowestPowertools = (packages: PackageInfo[]) => {
  const ranges = new Set(
    packages.flatMap(({ manifest }) =>
      powertools.map((name) => manifest.peerDependencies?.[name]).filter((range) => range !== undefined),
    ),
  )
  expect([...ranges], 'one Powertools peer range across packages').toHaveLength(1)
  const [range] = ranges
  return { range: range as string, lowest: (range as string).replace(/^\^/, '') }
}

/** The newest version in `range` on the registry (asked now, not read from the npm cache). */
async function latestInRange(name: string, range: string, cwd: string): Promise<string> {
  const { stdout } = await exec('npm', ['view', `${name}@${range}`, 'version', '--json', '--prefer-online'], cwd)
  const versions: string | string[] = JSON.parse(stdout)
  return Array.isArray(versions) ? versions.at(-1)! : versions
}

/** An empty project with every tarball and `powertoolsVersion` of each Powertools peer. */
async function installConsumer(dir: string, tarballDependencies: Record<string, string>, powertoolsVersion: string) {
  await mkdir(dir)
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'lamina-packaging-consumer',
      private: true,
      type: 'module',
      dependencies: {
        ...tarballDependencies,
        ...Object.fromEntries(powertools.map((name) => [name, powertoolsVersion])),
      },
      // For the typed consumer only: what a TypeScript Lambda project has anyway.
      devDependencies: { '@types/node': '^20.19.0', '@types/aws-lambda': '^8.10.164' },
      // What the batch README tells users: Powertools Batch 2.35.0 pins commons 2.35.0, so one
      // commons only with this override (the peer range of logger, metrics and tracer wins).
      overrides: { '@aws-lambda-powertools/commons': powertoolsVersion },
    }),
  )
  // Only the tarballs and their declared dependencies; the npm cache serves what it already has.
  await exec('npm', ['install', '--no-package-lock', '--prefer-offline', '--no-audit', '--no-fund'], dir, 4 * minutes)
}

let workdir: string
let consumer: string
let packages: PackageInfo[]
let names: string[]
/** Powertools versions the consumers were installed with: the lowest and the latest supported (one entry when equal). */
const consumers = new Map<string, { labels: string[]; dir: string }>()

beforeAll(async () => {
  // Prepare: the packages built from the current sources, then the tarballs.
  await ensurePackagesBuilt()
  packages = await readPackages()
  names = packages.map((info) => info.name)
  workdir = await mkdtemp(join(tmpdir(), 'lamina-packaging-'))
  const tarballs = join(workdir, 'tarballs')
  await mkdir(tarballs)
  const workspaces = names.flatMap((name) => ['-w', name])
  const { stdout } = await exec('npm', ['pack', ...workspaces, '--pack-destination', tarballs, '--json'], root)
  const packed: { name: string; filename: string }[] = JSON.parse(stdout)
  const dependencies = Object.fromEntries(
    packed.map(({ name, filename }) => [name, `file:${join(tarballs, filename.replace(/^@lamina\//, 'lamina-'))}`]),
  )
  const { range, lowest } = lowestPowertools(packages)
  const latest = await latestInRange(powertools[0]!, range, workdir)
  for (const [label, version] of [
    [`lowest (${lowest})`, lowest],
    [`latest (${latest})`, latest],
  ] as const) {
    const known = consumers.get(version)
    if (known) known.labels.push(label)
    else consumers.set(version, { labels: [label], dir: join(workdir, `consumer-${version}`) })
  }
  for (const [version, { dir }] of consumers) await installConsumer(dir, dependencies, version)
  // The checks that do not depend on the Powertools version use the latest, what `npm i` gives a new user.
  consumer = consumers.get(latest)!.dir
}, 10 * minutes)

afterAll(async () => {
  if (workdir) await rm(workdir, { recursive: true, force: true })
})

const installed = (name: string, ...path: string[]) => join(consumer, 'node_modules', name, ...path)

async function loadReport(file: string, script: string): Promise<LoadReport> {
  await writeFile(join(consumer, file), script)
  const { stdout } = await exec(process.execPath, [file], consumer)
  return JSON.parse(stdout)
}

describe('packed and installed outside the repo', () => {
  it('installs every package as real files, not workspace links', async () => {
    for (const { name } of packages) {
      // Assess: a symlink would mean the test is reading the repo, not the tarball.
      expect((await lstat(installed(name))).isSymbolicLink(), name).toBe(false)
    }
  })

  it('ships sideEffects: false, both builds and both declaration files for every package', async () => {
    for (const { name, placeholder } of packages) {
      const manifest = JSON.parse(await readFile(installed(name, 'package.json'), 'utf8'))
      expect(manifest.sideEffects, `${name} sideEffects`).toBe(false)
      const files = ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']
      // A package whose issue has not landed yet has no README to ship.
      if (!placeholder) files.push('README.md')
      for (const file of files) {
        expect(existsSync(installed(name, file)), `${name} ships ${file}`).toBe(true)
      }
    }
  })

  it('points every exports map entry at a file that exists in the tarball', async () => {
    for (const { name, manifest } of packages) {
      const targets = exportTargets(manifest.exports)
      expect(
        targets.map((entry) => entry.conditions),
        name,
      ).toEqual(
        expect.arrayContaining([
          '. > import > types',
          '. > import > default',
          '. > require > types',
          '. > require > default',
        ]),
      )
      for (const { conditions, target } of targets) {
        expect(existsSync(installed(name, target)), `${name} exports ${conditions} → ${target}`).toBe(true)
      }
    }
  })

  it('loads every package with import() and require(), with the same exports', async () => {
    // Act
    const imported = await loadReport('load-all.mjs', importAllScript(names))
    const required = await loadReport('load-all.cjs', requireAllScript(names))
    // Assess
    for (const { name, placeholder } of packages) {
      expect(imported[name], `import('${name}')`).not.toHaveProperty('error')
      expect(required[name], `require('${name}')`).not.toHaveProperty('error')
      expect(required[name], `${name}: CommonJS and ESM export the same names`).toEqual(imported[name])
      if (!placeholder) expect((imported[name] as { exports: string[] }).exports.length, name).toBeGreaterThan(0)
    }
    expect(imported['@lamina/core']).toEqual({ exports: expect.arrayContaining(['wrap', 'TimeoutError']) })
  })

  it.each([
    ['ESM', 'run-handler.mjs', esmHandlerScript],
    ['CommonJS', 'run-handler.cjs', cjsHandlerScript],
  ])('runs a wrapped handler from %s', async (_, file, script) => {
    // Prepare
    await writeFile(join(consumer, file), script)
    // Act
    const { stdout } = await exec(process.execPath, [file], consumer)
    // Assess: a parsed body, an early answer, and an error handled in onError.
    expect(JSON.parse(stdout)).toEqual([
      { statusCode: 200, body: JSON.stringify({ order: 7, aborted: false, requestId: true }) },
      'warm',
      { statusCode: 400, body: expect.stringContaining('JSON') },
    ])
  })

  it.each([
    ['TypeScript 5.9', 'off', join(root, 'node_modules/typescript/bin/tsc')],
    ['TypeScript 5.9', 'on', join(root, 'node_modules/typescript/bin/tsc')],
    ['TypeScript 7', 'off', join(root, 'node_modules/typescript7/bin/tsc')],
    ['TypeScript 7', 'on', join(root, 'node_modules/typescript7/bin/tsc')],
  ])(
    'typechecks ESM and CommonJS consumers with %s (NodeNext), exactOptionalPropertyTypes %s',
    async (_, exact, tsc) => {
      // Prepare
      await writeFile(join(consumer, 'esm-consumer.mts'), typedEsmConsumer(names))
      await writeFile(join(consumer, 'cjs-consumer.cts'), typedCjsConsumer(names))
      const tsconfig = `tsconfig.exact-${exact}.json`
      await writeFile(join(consumer, tsconfig), JSON.stringify(consumerTsconfig(exact === 'on')))
      // Act
      const outcome = await exec(process.execPath, [tsc, '-p', tsconfig], consumer).then(
        ({ stdout }) => ({ failed: false, output: stdout }),
        (error: { stdout?: string; message: string }) => ({ failed: true, output: error.stdout || error.message }),
      )
      // Assess: no errors, and each @ts-expect-error was needed (an unused one is an error too).
      expect(outcome.output).toBe('')
      expect(outcome.failed).toBe(false)
    },
    // TypeScript 5.9 checks every package's declarations: tens of seconds on a loaded machine.
    2 * minutes,
  )
})

describe('bundled with esbuild by a user', () => {
  it('bundles a function on @lamina/tracer without the OpenTelemetry SDK installed (only the X-Ray mode used)', async () => {
    // Prepare: the consumer has the tracer's required peers, not its optional OpenTelemetry SDK.
    expect(existsSync(installed('@opentelemetry/sdk-trace-base'))).toBe(false)
    await writeFile(
      join(consumer, 'traced.mjs'),
      "import { wrap } from '@lamina/core'\nimport { tracing } from '@lamina/tracer'\nexport const handler = wrap(async () => 'ok').use(tracing())\n",
    )
    // Act
    const { build } = await import('esbuild')
    const result = await build({
      absWorkingDir: consumer,
      entryPoints: ['traced.mjs'],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      logLevel: 'silent',
    })
    // Assess: a bundle, no error for the packages the OpenTelemetry mode would load at run time.
    expect(result.errors).toEqual([])
    expect(result.outputFiles[0]!.text).toContain('tracing')
  })
})

/** Where each copy of `name` sits under `dir`/node_modules (relative paths). */
async function copiesOf(dir: string, name: string): Promise<string[]> {
  const entries = await readdir(join(dir, 'node_modules'), { recursive: true })
  return entries
    .map((entry) => entry.split('\\').join('/'))
    .filter((entry) => entry === `${name}/package.json` || entry.endsWith(`/node_modules/${name}/package.json`))
}

describe('with the lowest and the latest Powertools the peer range allows', () => {
  it('installs one copy of each Powertools package; observability() logs and publishes metrics on it', async () => {
    expect(consumers.size).toBeGreaterThan(0)
    for (const [version, { labels, dir }] of consumers) {
      const label = labels.join(', ')
      // Assess: one commons, shared by logger, metrics and tracer, at the version asked for.
      for (const name of ['@aws-lambda-powertools/commons', ...powertools]) {
        const copies = await copiesOf(dir, name)
        expect(copies, `${label}: copies of ${name}`).toHaveLength(1)
        const manifest = JSON.parse(await readFile(join(dir, 'node_modules', copies[0]!), 'utf8'))
        expect(manifest.version, `${label}: ${name}`).toBe(version)
      }
      // Act: a handler with observability() on the installed Powertools, in a Lambda-like environment.
      await writeFile(join(dir, 'observability.mjs'), observabilityScript)
      const { stdout } = await exec(process.execPath, ['observability.mjs'], dir)
      const lines = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
      // Assess
      expect(
        lines.find((line) => line.result),
        label,
      ).toEqual({ result: { statusCode: 200, body: 'ok' } })
      expect(
        lines.find((line) => line.message === 'handled'),
        label,
      ).toMatchObject({ service: 'packaging', function_name: 'packaging', cold_start: true })
      expect(
        lines.filter((line) => line._aws?.CloudWatchMetrics?.[0]?.Namespace === 'packaging').length,
        label,
      ).toBeGreaterThan(0)
    }
  })
})
