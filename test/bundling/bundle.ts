// esbuild as the README's Deploy section uses it, and what a bundle's metafile says about the
// copies of each package inside it.
import { isAbsolute, join, resolve } from 'node:path'
import { build, type Metafile } from 'esbuild'

/** Powertools Tracer loads the X-Ray SDK with require(); an ESM bundle has no require of its own. */
export const requireBanner =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"

/**
 * Bundles `entry` the way a user does from the folder it lives in (esbuild reads the nearest
 * tsconfig.json), everything inlined, ESM for Node 22.
 */
export async function bundleForLambda(workingDir: string, entry: string, outfile: string): Promise<Metafile> {
  const result = await build({
    absWorkingDir: workingDir,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    banner: { js: requireBanner },
    metafile: true,
    logLevel: 'silent',
  })
  return result.metafile
}

/**
 * Which folders each package in the bundle came from: `node_modules/<name>` (the last one on the
 * path), or, for a workspace package reached without node_modules, `packages/<folder>/src|dist`.
 */
export function packageCopies(metafile: Metafile, workingDir: string): Map<string, Set<string>> {
  const copies = new Map<string, Set<string>>()
  for (const input of Object.keys(metafile.inputs)) {
    const path = isAbsolute(input) ? input : resolve(workingDir, input)
    const fromModules = /^(.*\/node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(path)
    const fromWorkspace = /^(.*\/packages\/([^/]+)\/(?:src|dist))\//.exec(path)
    const found = fromModules
      ? { root: fromModules[1]!, name: fromModules[2]! }
      : fromWorkspace
        ? { root: fromWorkspace[1]!, name: `@lamina/${fromWorkspace[2]}` }
        : undefined
    if (!found) continue
    const roots = copies.get(found.name) ?? new Set<string>()
    roots.add(found.root)
    copies.set(found.name, roots)
  }
  return copies
}

/** Packages that appear in the bundle from more than one folder, with those folders. */
export function duplicatedPackages(copies: Map<string, Set<string>>): Record<string, string[]> {
  return Object.fromEntries(
    [...copies].filter(([, roots]) => roots.size > 1).map(([name, roots]) => [name, [...roots].sort()]),
  )
}

export const relativeTo = (root: string, paths: Iterable<string>) =>
  [...paths].map((path) => (path.startsWith(root) ? path.slice(root.length) : join(path)))
