// The files a split bundle is made of, read from esbuild's metafile: the entry, the chunks it
// imports statically (loaded with it, at init) and the chunks only an `import()` reaches (loaded
// when the function imports them, if ever).
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Metafile } from 'esbuild'

export interface BundleFiles {
  /** The entry's absolute path. */
  entry: string
  /** Every JavaScript file written, entry first. */
  all: { path: string; code: Buffer }[]
  /** The entry and every chunk it reaches through static imports. */
  atInit: Set<string>
}

export async function bundleFiles(metafile: Metafile, workingDir: string, entry: string): Promise<BundleFiles> {
  const outputs = new Map(
    Object.entries(metafile.outputs)
      .filter(([path]) => path.endsWith('.mjs'))
      .map(([path, output]) => [resolve(workingDir, path), output]),
  )
  const atInit = new Set<string>()
  const pending = [entry]
  while (pending.length > 0) {
    const path = pending.pop() as string
    if (atInit.has(path)) continue
    atInit.add(path)
    for (const imported of outputs.get(path)?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) pending.push(resolve(workingDir, imported.path))
    }
  }
  const paths = [entry, ...[...outputs.keys()].filter((path) => path !== entry)]
  const all = await Promise.all(paths.map(async (path) => ({ path, code: await readFile(path) })))
  return { entry, all, atInit }
}
