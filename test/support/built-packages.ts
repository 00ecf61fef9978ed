// Tests that use what users get (the packed tarballs, an esbuild bundle) need every package's
// dist/ to match its src/. `npm test` builds first; run alone, such a test builds here. Building
// only when something is stale, one test process at a time (a lock file), keeps these tests,
// running in parallel workers, from rewriting dist/ while another reads it.
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, statSync, watch } from 'node:fs'
import { mkdir, open, readFile, rm } from 'node:fs/promises'
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

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Resolves when `file` is gone (watching its folder: no polling). */
function removal(file: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(join(file, '..'), () => {
      if (existsSync(file)) return
      watcher.close()
      resolve()
    })
    // It may have gone before the watcher started.
    if (!existsSync(file)) {
      watcher.close()
      resolve()
    }
  })
}

/**
 * Resolves when process `pid` has gone. A process gives no event another one can wait on, so this
 * looks every half second; it only runs while a test waits for another process's build.
 */
function exitOf(pid: number): { done: Promise<void>; stop(): void } {
  let timer: NodeJS.Timeout | undefined
  const done = new Promise<void>((resolve) => {
    timer = setInterval(() => {
      if (!isAlive(pid)) resolve()
    }, 500)
  }).finally(() => clearInterval(timer))
  return { done, stop: () => clearInterval(timer) }
}

/** Runs `task` while holding .tmp/build.lock, shared by every test process of this checkout. */
async function withBuildLock(task: () => Promise<void>): Promise<void> {
  const lock = join(repoRoot, '.tmp', 'build.lock')
  await mkdir(join(lock, '..'), { recursive: true })
  for (;;) {
    try {
      const handle = await open(lock, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number(await readFile(lock, 'utf8').catch(() => ''))
      // A holder that died (or had not written its pid yet) leaves the lock to the next taker.
      if (holder > 0 && !isAlive(holder)) await rm(lock, { force: true })
      else if (holder > 0) {
        // The holder may die while this one waits (a killed test run): then the lock is stale.
        const holderExit = exitOf(holder)
        await Promise.race([removal(lock), holderExit.done])
        holderExit.stop()
      } else await removal(lock)
    }
  }
  try {
    await task()
  } finally {
    await rm(lock, { force: true })
  }
}

/** Runs `npm run build` (turbo) when any package's build is stale; one test process at a time. */
export async function ensurePackagesBuilt(): Promise<void> {
  if (stalePackages().length === 0) return
  await withBuildLock(async () => {
    if (stalePackages().length === 0) return // another test process has just built
    await promisify(execFile)('npm', ['run', 'build'], {
      cwd: repoRoot,
      env: cleanEnv,
      timeout: 4 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    })
  })
}
