// TypeScript functions are bundled for the dev server with esbuild (their own files only; every
// package stays an import) and run as plain JavaScript: a fresh process then starts without a
// TypeScript loader, which is most of a restart's time. Source maps keep stack traces on the
// .ts lines; `import.meta.url` (and dirname, filename) keep naming each source file, so files
// read relative to the source are found.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname, extname, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, type Plugin } from 'esbuild'
import { devError } from './errors.js'
import type { FunctionSpec } from './template.js'

const typescript = /\.[cm]?ts$/

const sourceLocations: Plugin = {
  name: 'lamina-source-locations',
  setup(plugin) {
    plugin.onLoad({ filter: /\.[cm]?[jt]s$/ }, async ({ path }) => {
      if (path.includes(`${'/'}node_modules${'/'}`)) return undefined
      const text = (await readFile(path, 'utf8'))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(path)))
        .replaceAll('import.meta.filename', JSON.stringify(path))
      return { contents: text, loader: typescript.test(path) ? 'ts' : 'js' }
    })
  },
}

/** Where `dir`'s bundles go: under the nearest node_modules above it, so packages resolve from there. */
function bundleDir(dir: string): string {
  let root = resolve(dir)
  while (!existsSync(join(root, 'node_modules')) && dirname(root) !== root) root = dirname(root)
  if (!existsSync(join(root, 'node_modules'))) root = resolve(dir)
  return join(root, 'node_modules', '.cache', 'lamina-dev', relative(root, resolve(dir)))
}

/** The handler to run for `fn`: its bundle for a TypeScript source, its own file otherwise. */
export async function devHandler(dir: string, fn: FunctionSpec): Promise<string> {
  if (!typescript.test(fn.entry)) return fn.handler
  const cjs = extname(fn.entry) === '.cts'
  const name = basename(fn.entry).replace(typescript, cjs ? '.cjs' : '.mjs')
  const outfile = join(bundleDir(dir), fn.id, name)
  try {
    await build({
      entryPoints: [fn.entry],
      outfile,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: cjs ? 'cjs' : 'esm',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'silent',
      plugins: [sourceLocations],
    })
  } catch (error) {
    const first = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] })
      .errors?.[0]
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : ''
    throw devError(
      `function ${fn.id} does not compile (${where}${first?.text ?? (error as Error).message})`,
      'fix the source; the dev server rebuilds on save',
    )
  }
  const handlerExport = fn.handler.slice(fn.handler.lastIndexOf('.') + 1)
  return `${relative(dir, outfile)
    .split('\\')
    .join('/')
    .replace(/\.[cm]js$/, '')}.${handlerExport}`
}
