// A V8 compile cache made at build time and shipped beside the bundle. The handler file becomes a
// small wrapper that enables Node's compile cache (portable: keyed relative to the cache folder, so
// it holds at another path, and read from a read-only one) before it imports the bundle; the cache
// is written by loading the bundle once with the Node binary that will run it. V8 only takes a
// cache made by the same Node version: build it with the runtime's (nodejs24.x: Node 24).
import { execFile } from 'node:child_process'
import { chmod, readdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'

export const cacheFolder = '.compile-cache'

const wrapper = (
  bundleFile: string,
  exportName: string,
) => `// Enables the compile cache shipped beside the bundle before the bundle loads (lamina build --compile-cache).
import { enableCompileCache } from 'node:module'
enableCompileCache({ directory: new URL('./${cacheFolder}', import.meta.url).pathname, portable: true })
const bundle = await import('./${bundleFile}')
export const ${exportName} = bundle.${exportName}
`

/**
 * Writes `outfile`, the wrapper that loads `<bundleName>.mjs` (the bundle's entry, written beside it
 * with its chunks), and the cache; resolves with the cache's Node version. The cache holds what the
 * function compiles at init: the entry and its static chunks. A chunk only `import()` reaches
 * (tracing, when it is on) compiles when it loads, as without a cache.
 */
export async function addCompileCache(
  bundleName: string,
  outfile: string,
  exportName: string,
  nodePath: string,
): Promise<string> {
  const run = promisify(execFile)
  const { stdout } = await run(nodePath, ['-p', 'process.versions.node'])
  const version = stdout.trim()
  if (Number(version.split('.')[0]) < 22) {
    throw new Error(
      `--compile-cache needs Node 22 or later to make the cache (found ${version} at ${nodePath}): pass --node <path to Node 24>, the nodejs24.x runtime's version.`,
    )
  }
  await writeFile(outfile, wrapper(`${bundleName}.mjs`, exportName))
  // Loading the function once compiles what its init runs and writes the cache.
  await run(nodePath, ['--input-type=module', '-e', `await import(${JSON.stringify(outfile)})`], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  })
  await readableByAll(join(dirname(outfile), cacheFolder))
  return version
}

/**
 * Node writes its cache for its own user only (0700 folders, 0600 files); Lambda runs the function
 * as another user, which needs to read every file of the deployment package: 0755 and 0644.
 */
async function readableByAll(folder: string): Promise<void> {
  await chmod(folder, 0o755)
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) await readableByAll(path)
    else await chmod(path, 0o644)
  }
}
