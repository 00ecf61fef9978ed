// Teams install single packages: build the tree, `npm pack` every package, install the tarballs
// into an empty project outside the repo (no workspace links), then load each one from ESM and
// CommonJS, run a wrapped handler, and typecheck a consumer with TypeScript 5.9 and 7. A broken
// exports map or a missing file fails here, not for a user.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cjsHandlerScript,
  consumerTsconfig,
  esmHandlerScript,
  importAllScript,
  requireAllScript,
  typedCjsConsumer,
  typedEsmConsumer,
} from './consumer.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
const minutes = 60_000

interface PackageInfo {
  name: string
  folder: string
  placeholder: boolean
  manifest: Record<string, any>
}

type LoadReport = Record<string, { exports: string[] } | { error: string }>

// npm and node children must not inherit the root workspace's npm_* settings.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')))

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

let workdir: string
let consumer: string
let packages: PackageInfo[]
let names: string[]

beforeAll(async () => {
  // Prepare: a fresh build (turbo replays unchanged packages from its cache), then the tarballs.
  await exec('npm', ['run', 'build'], root, 4 * minutes)
  packages = await readPackages()
  names = packages.map((info) => info.name)
  workdir = await mkdtemp(join(tmpdir(), 'lamina-packaging-'))
  const tarballs = join(workdir, 'tarballs')
  consumer = join(workdir, 'consumer')
  await mkdir(tarballs)
  await mkdir(consumer)
  const workspaces = names.flatMap((name) => ['-w', name])
  const { stdout } = await exec('npm', ['pack', ...workspaces, '--pack-destination', tarballs, '--json'], root)
  const packed: { name: string; filename: string }[] = JSON.parse(stdout)
  const dependencies = Object.fromEntries(
    packed.map(({ name, filename }) => [name, `file:${join(tarballs, filename.replace(/^@lamina\//, 'lamina-'))}`]),
  )
  await writeFile(
    join(consumer, 'package.json'),
    JSON.stringify({
      name: 'lamina-packaging-consumer',
      private: true,
      type: 'module',
      dependencies,
      // For the typed consumer only: what a TypeScript Lambda project has anyway.
      devDependencies: { '@types/node': '^20.19.0', '@types/aws-lambda': '^8.10.164' },
    }),
  )
  // Only the tarballs and their declared dependencies; the npm cache serves what it already has.
  await exec(
    'npm',
    ['install', '--no-package-lock', '--prefer-offline', '--no-audit', '--no-fund'],
    consumer,
    4 * minutes,
  )
}, 8 * minutes)

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
    ['TypeScript 5.9', join(root, 'node_modules/typescript/bin/tsc')],
    ['TypeScript 7', join(root, 'node_modules/typescript7/bin/tsc')],
  ])('typechecks ESM and CommonJS consumers with %s (NodeNext)', async (_, tsc) => {
    // Prepare
    await writeFile(join(consumer, 'esm-consumer.mts'), typedEsmConsumer(names))
    await writeFile(join(consumer, 'cjs-consumer.cts'), typedCjsConsumer(names))
    await writeFile(join(consumer, 'tsconfig.json'), JSON.stringify(consumerTsconfig))
    // Act
    const outcome = await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], consumer).then(
      ({ stdout }) => ({ failed: false, output: stdout }),
      (error: { stdout?: string; message: string }) => ({ failed: true, output: error.stdout || error.message }),
    )
    // Assess: no errors, and each @ts-expect-error was needed (an unused one is an error too).
    expect(outcome.output).toBe('')
    expect(outcome.failed).toBe(false)
  })
})
