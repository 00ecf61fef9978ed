// `lamina build`: one esbuild bundle per function, ready for the nodejs24.x runtime: ESM, Node 24,
// minified, split into chunks so that what the function imports with `import()` (the tracer's
// Powertools Tracer and X-Ray SDK, OpenTelemetry) is read only when it is imported, one copy of
// every @lamina/* package, the createRequire banner only when the bundle needs `require`, the AWS
// SDK v3 bundled or left to the runtime.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { basename, extname, join, relative, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { type BuildOptions as EsbuildOptions, build as esbuild, type Metafile } from 'esbuild'
import { loadTemplate } from '../dev/template.js'
import { findHandlerFile, moduleExtensions, parseHandlerName } from '../runtime/handler-loader.js'
import { type BundleFiles, bundleFiles } from './chunks.js'
import { addCompileCache, cacheFolder } from './compile-cache.js'
import { packageCopies } from './copies.js'
import { laminaResolver } from './lamina-resolver.js'

export interface BuildOptions {
  /** A folder with a SAM template.yaml, or one handler (`path/to/file.export` or a source file). Default: cwd. */
  target?: string
  /** Where relative paths start. Default: `process.cwd()`. */
  cwd?: string
  /** `bundle` (default) puts the AWS SDK v3 in the bundle; `external` leaves it to the runtime (nodejs24.x ships it). */
  sdk?: 'bundle' | 'external'
  /** Default: `<folder>/.lamina/build`; each function gets `<outdir>/<name>/<entry name>.mjs`. */
  outdir?: string
  /**
   * Ship a V8 compile cache made at build time beside each bundle (the handler file enables it, then
   * loads `<entry name>.bundle.mjs`). Made with `nodePath`: use the runtime's Node version.
   */
  compileCache?: boolean
  /** The Node binary that makes the compile cache. Default: this process's. */
  nodePath?: string
}

export interface BuiltFunction {
  /** The template's logical id, or the handler file's name. */
  name: string
  /** The source entry point. */
  entry: string
  /** The handler file (the bundle's entry; with `compileCache`, the wrapper that loads it). */
  outfile: string
  /** The handler setting that runs it from its folder (`<entry name>.<export>`). */
  handler: string
  /** Every file of the bundle (entry and chunks), minified, in bytes. */
  bytes: number
  /** The same, gzipped. */
  gzipBytes: number
  /** What the function loads at init: the entry and the chunks it imports statically, in bytes. */
  initBytes: number
  /** The bundle's other files beside the handler file, relative to its folder (chunks, loaded by `import()` or shared). */
  chunks: string[]
  /** The bundle needed `require` (a CommonJS dependency calls it): the createRequire banner was added. */
  banner: boolean
  /** Packages the bundle holds more than one copy of (never @lamina/core: that fails the build). */
  duplicates: string[]
  /** With `compileCache`: the Node version the cache was made with. */
  compileCache?: { nodeVersion: string; bytes: number }
}

export class BuildError extends Error {
  override name = 'BuildError'
}

interface FunctionToBuild {
  name: string
  entry: string
  exportName: string
}

const requireBanner = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
/** What esbuild's ESM output throws when bundled CommonJS calls `require` and nothing provides it. */
const dynamicRequire = 'Dynamic require of "'

function functionsOf(target: string, cwd: string): { dir: string; functions: FunctionToBuild[] } {
  const path = resolve(cwd, target)
  if (existsSync(path) && statSync(path).isDirectory()) {
    if (!existsSync(join(path, 'template.yaml'))) {
      throw new BuildError(
        `no template.yaml in ${relative(cwd, path) || '.'}: add a SAM template, or pass one handler (lamina build src/handler.ts).`,
      )
    }
    const template = loadTemplate(path)
    return {
      dir: path,
      functions: template.functions.map((fn) => ({
        name: fn.id,
        entry: fn.entry,
        exportName: fn.handler.slice(fn.handler.lastIndexOf('.') + 1),
      })),
    }
  }
  const extension = moduleExtensions.find((candidate) => candidate !== '' && target.endsWith(candidate))
  if (extension !== undefined && existsSync(path)) {
    return { dir: cwd, functions: [{ name: basename(path, extension), entry: path, exportName: 'handler' }] }
  }
  const { modulePath, exportPath } = parseHandlerName(target)
  const entry = findHandlerFile(cwd, target)
  if (entry === undefined) {
    throw new BuildError(
      `nothing to build at ${target}: it is neither a folder with a template.yaml nor a handler file (looked for ${modulePath}.ts, .js, .mjs…). Pass an example folder or path/to/file.export.`,
    )
  }
  return { dir: cwd, functions: [{ name: basename(modulePath), entry, exportName: exportPath }] }
}

async function bundle(
  fn: FunctionToBuild,
  dir: string,
  folder: string,
  entryName: string,
  sdk: 'bundle' | 'external',
  banner: boolean,
) {
  const options: EsbuildOptions & { metafile: true } = {
    entryPoints: [fn.entry],
    outdir: folder,
    // Each import() becomes a chunk of its own beside the entry, read only when it is imported: a
    // function with tracing off never parses the X-Ray SDK or OpenTelemetry. Code that the entry
    // and a chunk share goes in a shared chunk, so nothing is bundled twice.
    splitting: true,
    entryNames: entryName,
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    absWorkingDir: dir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
    // Powertools and the AWS SDK publish ESM under `module`: take it over `main`.
    mainFields: ['module', 'main'],
    external: sdk === 'external' ? ['@aws-sdk/*'] : [],
    plugins: [laminaResolver()],
    // Every file gets it: esbuild's `__require` helper lives in whichever chunk holds the shared runtime.
    ...(banner ? { banner: { js: requireBanner } } : {}),
  }
  try {
    return await esbuild(options)
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors
    const first = errors?.[0]
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : ''
    throw new BuildError(
      `${fn.name} did not bundle: ${first?.text ?? (error as Error).message}${where}. Fix the import or the code there.`,
    )
  }
}

const folderBytes = (folder: string) =>
  existsSync(folder)
    ? readdirSync(folder, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .reduce((total, entry) => total + statSync(join(entry.parentPath, entry.name)).size, 0)
    : 0

function sizes(files: BundleFiles): Pick<BuiltFunction, 'bytes' | 'gzipBytes' | 'initBytes'> {
  // Each file on its own, as a deployment package compresses them.
  const total = (sizeOf: (code: Buffer) => number, list = files.all) =>
    list.reduce((sum, file) => sum + sizeOf(file.code), 0)
  return {
    bytes: total((code) => code.length),
    gzipBytes: total((code) => gzipSync(code, { level: 9 }).length),
    initBytes: total(
      (code) => code.length,
      files.all.filter((file) => files.atInit.has(file.path)),
    ),
  }
}

function duplicatesOf(metafile: Metafile, dir: string, name: string): string[] {
  const copies = packageCopies(metafile, dir)
  const core = copies.get('@lamina/core') ?? []
  if (core.length > 1) {
    throw new BuildError(
      `${name} would hold ${core.length} copies of @lamina/core (${core.map((copy) => relative(dir, copy)).join(', ')}): install one version of @lamina/* so that every package shares it.`,
    )
  }
  return [...copies].filter(([, found]) => found.length > 1).map(([pkg]) => pkg)
}

/** Bundles each function; resolves with what was written, in template order. */
export async function buildFunctions(options: BuildOptions = {}): Promise<BuiltFunction[]> {
  const cwd = resolve(options.cwd ?? process.cwd())
  const sdk = options.sdk ?? 'bundle'
  if (sdk !== 'bundle' && sdk !== 'external') {
    throw new BuildError(
      `--sdk ${String(sdk)} is not bundle or external: write --sdk bundle (default) or --sdk external.`,
    )
  }
  const { dir, functions } = functionsOf(options.target ?? '.', cwd)
  const outdir = resolve(cwd, options.outdir ?? join(dir, '.lamina/build'))
  const built: BuiltFunction[] = []
  for (const fn of functions) {
    const folder = join(outdir, fn.name)
    await rm(folder, { recursive: true, force: true })
    await mkdir(folder, { recursive: true })
    const entryName = basename(fn.entry, extname(fn.entry))
    const outfile = join(folder, `${entryName}.mjs`)
    // With a compile cache the bundle's entry is `<entry name>.bundle.mjs` (chunks import it by that
    // name) and `<entry name>.mjs` becomes the wrapper that enables the cache first.
    const bundleName = options.compileCache ? `${entryName}.bundle` : entryName
    let result = await bundle(fn, dir, folder, bundleName, sdk, false)
    let files = await bundleFiles(result.metafile, dir, join(folder, `${bundleName}.mjs`))
    // Only a bundle whose CommonJS parts call require() gets the banner.
    const banner = files.all.some((file) => file.code.includes(dynamicRequire))
    if (banner) {
      await rm(folder, { recursive: true, force: true })
      result = await bundle(fn, dir, folder, bundleName, sdk, true)
      files = await bundleFiles(result.metafile, dir, join(folder, `${bundleName}.mjs`))
    }
    const entry: BuiltFunction = {
      name: fn.name,
      entry: fn.entry,
      outfile,
      handler: `${entryName}.${fn.exportName}`,
      ...sizes(files),
      chunks: files.all.filter((file) => file.path !== outfile).map((file) => relative(folder, file.path)),
      banner,
      duplicates: duplicatesOf(result.metafile, dir, fn.name),
    }
    if (options.compileCache) {
      const nodeVersion = await addCompileCache(
        bundleName,
        outfile,
        fn.exportName,
        options.nodePath ?? process.execPath,
      ).catch((error: Error) => {
        throw new BuildError(`${fn.name}: ${error.message}`)
      })
      entry.compileCache = { nodeVersion, bytes: folderBytes(join(folder, cacheFolder)) }
    }
    built.push(entry)
  }
  return built
}
