// Tests that use what users get (the packed tarballs, an esbuild bundle) need every package's
// dist/ to match its src/. `npm test` builds first; run alone, such a test builds here. Building
// only when something is stale keeps two of these tests, running in parallel under `npm test`,
// from rewriting dist/ while the other reads it.
import { execFile } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

// npm and node children must not inherit the root workspace's npm_* settings.
export const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')))

const newestChange = (path: string): number => {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))))
}

const oldestOutput = (dist: string): number => {
  try {
    return Math.min(
      ...['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'].map((file) => statSync(join(dist, file)).mtimeMs),
    )
  } catch {
    return Number.NEGATIVE_INFINITY // not built yet
  }
}

/** Packages whose dist/ is missing or older than their sources, package.json or the shared build config. */
export function stalePackages(): string[] {
  const shared = newestChange(join(repoRoot, 'tsup.base.js'))
  const packages = join(repoRoot, 'packages')
  return readdirSync(packages).filter((folder) => {
    const dir = join(packages, folder)
    const inputs = Math.max(shared, newestChange(join(dir, 'src')), newestChange(join(dir, 'package.json')))
    return oldestOutput(join(dir, 'dist')) < inputs
  })
}

/** Runs `npm run build` (turbo) when any package's build is stale. */
export async function ensurePackagesBuilt(): Promise<void> {
  if (stalePackages().length === 0) return
  await promisify(execFile)('npm', ['run', 'build'], {
    cwd: repoRoot,
    env: cleanEnv,
    timeout: 4 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  })
}
