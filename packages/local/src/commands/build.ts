// `lamina build [dir|handler] [--sdk bundle|external] [--outdir dir]`: one bundle per function of
// the folder's SAM template (or the one handler given), each with its size minified and gzipped.
import { relative } from 'node:path'
import { type BuiltFunction, buildFunctions } from '../build/build.js'
import { parseArgs, UsageError } from './args.js'
import { type CommandIo, processIo } from './io.js'

const usage =
  'lamina build [example-dir | path/to/file.export] [--sdk bundle|external] [--outdir <dir>] [--compile-cache [--node <node 24>]] [--json]'

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

function table(built: BuiltFunction[], cwd: string): string {
  const rows = [
    ['Function', 'Bundle', 'Size', 'min+gz', 'at init', ''],
    ...built.map((fn) => [
      fn.name,
      relative(cwd, fn.outfile),
      kilobytes(fn.bytes),
      kilobytes(fn.gzipBytes),
      kilobytes(fn.initBytes),
      [
        fn.chunks.length > 0 ? `+ ${fn.chunks.length} file${fn.chunks.length === 1 ? '' : 's'}` : '',
        fn.banner ? 'createRequire banner' : '',
        fn.compileCache
          ? `compile cache ${kilobytes(fn.compileCache.bytes)} (Node ${fn.compileCache.nodeVersion})`
          : '',
        ...fn.duplicates.map((name) => `2 copies of ${name}`),
      ]
        .filter(Boolean)
        .join(', '),
    ]),
  ]
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column >= 2 && column <= 4 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

export async function buildCommand(args: string[], io: Partial<CommandIo> = {}): Promise<number> {
  const { stdout, stderr, cwd } = { ...processIo(), ...io }
  try {
    const parsed = parseArgs(args, ['sdk', 'outdir', 'node'], ['json', 'compile-cache'], 'build')
    if (parsed.positionals.length > 1) throw new UsageError(`one folder or handler at a time. Usage: ${usage}`)
    const sdk = parsed.options.get('sdk') ?? 'bundle'
    if (sdk !== 'bundle' && sdk !== 'external') {
      throw new UsageError(
        `--sdk ${sdk} is not bundle or external: write --sdk bundle (the default) or --sdk external.`,
      )
    }
    const outdir = parsed.options.get('outdir')
    const nodePath = parsed.options.get('node')
    const built = await buildFunctions({
      cwd,
      sdk,
      compileCache: parsed.flags.has('compile-cache'),
      ...(nodePath === undefined ? {} : { nodePath }),
      ...(parsed.positionals[0] === undefined ? {} : { target: parsed.positionals[0] }),
      ...(outdir === undefined ? {} : { outdir }),
    })
    stdout.write(parsed.flags.has('json') ? `${JSON.stringify(built)}\n` : `${table(built, cwd)}\n`)
    return 0
  } catch (error) {
    stderr.write(`lamina build: ${(error as Error).message}\n`)
    return error instanceof UsageError ? 2 : 1
  }
}
