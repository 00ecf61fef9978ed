// One copy of every @lamina/* package in a bundle, whatever the tsconfig paths: esbuild honours the
// nearest tsconfig's `paths`, so inside a monorepo the entry's `@lamina/core` can resolve to
// packages/core/src while a built package's own import of it resolves to packages/core/dist: two
// engines in one bundle. This plugin resolves every `@lamina/<name>[/<subpath>]` as Node does
// (node_modules, the package's `exports`, ESM condition), from wherever it is imported.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Plugin } from 'esbuild'

const specifier = /^@lamina\/([a-z0-9-]+)(\/.+)?$/

type Exports = Record<string, string | { import?: string | { default?: string }; default?: string }>

function exportTarget(exports: Exports | undefined, subpath: string): string | undefined {
  const entry = exports?.[subpath]
  if (typeof entry === 'string') return entry
  const esm = entry?.import
  return typeof esm === 'string' ? esm : (esm?.default ?? entry?.default)
}

export function laminaResolver(): Plugin {
  return {
    name: 'lamina-one-copy',
    setup(build) {
      build.onResolve({ filter: specifier }, (args) => {
        const [, name, rest] = specifier.exec(args.path) as unknown as [string, string, string | undefined]
        let manifest: string
        try {
          manifest = createRequire(join(args.resolveDir || process.cwd(), 'noop.js')).resolve(
            `@lamina/${name}/package.json`,
          )
        } catch {
          // Not installed where Node would look: let esbuild report it as it does any missing import.
          return undefined
        }
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Exports; module?: string }
        const target =
          exportTarget(pkg.exports, rest === undefined ? '.' : `.${rest}`) ??
          (rest === undefined ? pkg.module : undefined)
        if (target === undefined) {
          return { errors: [{ text: `@lamina/${name} does not export ${rest ?? '.'}: check the import path.` }] }
        }
        return { path: join(dirname(manifest), target) }
      })
    },
  }
}
