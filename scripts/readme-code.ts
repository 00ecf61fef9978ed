// Compiles every TypeScript code block of every README (root, packages/*, examples/*) under the
// repo's strict settings, so the docs cannot drift from the API. Each ```ts block becomes its own
// module in .tmp/readme-code/ and is typechecked with the root tsconfig (where @lamina/* resolves
// to the packages). Errors are reported at their README line.
//
// A block that is deliberately not a whole program (a fragment of a chain, a signature) is marked
// ```ts no-check and skipped. Use it sparingly: a block a user copies should compile.
//
// Run: npx tsx scripts/readme-code.ts (test/docs/readme-code.test.ts runs it in `npm test`).
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

export interface CodeBlock {
  /** The README, relative to the repo root. */
  readme: string
  /** 1-based README line of the block's first code line. */
  firstLine: number
  code: string
  checked: boolean
}

const fence = /^```(\S*)(.*)$/

/** The ```ts / ```typescript blocks of one markdown document, in order. */
export function extractBlocks(markdown: string, readme: string): CodeBlock[] {
  const blocks: CodeBlock[] = []
  const lines = markdown.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const opening = fence.exec(lines[index]!)
    if (!opening) continue
    const end = lines.findIndex((line, at) => at > index && line.startsWith('```'))
    if (end === -1) break
    const [, language = '', info = ''] = opening
    if (language === 'ts' || language === 'typescript') {
      blocks.push({
        readme,
        firstLine: index + 2,
        code: lines.slice(index + 1, end).join('\n'),
        checked: !info.split(/\s+/).includes('no-check'),
      })
    }
    index = end
  }
  return blocks
}

/** README.md at the root and in every package and example folder. */
export async function readmeFiles(root: string): Promise<string[]> {
  const nested = await Promise.all(
    ['packages', 'examples'].map(async (folder) =>
      (await readdir(join(root, folder))).sort().map((name) => join(folder, name, 'README.md')),
    ),
  )
  return ['README.md', ...nested.flat()].filter((file) => existsSync(join(root, file)))
}

const moduleFile = (block: CodeBlock) =>
  `${block.readme.replace(/[\\/]/g, '__').replace(/\.md$/, '')}--line-${block.firstLine}.ts`

export interface ReadmeCodeReport {
  checked: CodeBlock[]
  skipped: CodeBlock[]
  /** `README path:line:column: message`, one entry per compiler diagnostic (continuation lines kept). */
  errors: string[]
}

/** Writes the blocks out and typechecks them with TypeScript; nothing is left behind. */
export async function checkReadmeCode(root: string): Promise<ReadmeCodeReport> {
  const blocks = (
    await Promise.all(
      (
        await readmeFiles(root)
      ).map(async (readme) => extractBlocks(await readFile(join(root, readme), 'utf8'), readme)),
    )
  ).flat()
  const checked = blocks.filter((block) => block.checked)
  const skipped = blocks.filter((block) => !block.checked)
  const dir = join(root, '.tmp', `readme-code-${process.pid}`)
  await mkdir(dir, { recursive: true })
  try {
    const byFile = new Map(checked.map((block) => [moduleFile(block), block]))
    // `export {}` keeps a block without imports a module, so blocks never share names.
    await Promise.all([...byFile].map(([file, block]) => writeFile(join(dir, file), `${block.code}\nexport {}\n`)))
    const tsconfig = {
      extends: relative(dir, join(root, 'tsconfig.json')),
      compilerOptions: { noEmit: true },
      include: [],
      files: [...byFile.keys()],
    }
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig))
    const tsc = join(root, 'node_modules/typescript/bin/tsc')
    const output = await promisify(execFile)(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      ({ stdout }) => stdout,
      (error: { stdout?: string; message: string }) => error.stdout || error.message,
    )
    return { checked, skipped, errors: toReadmeLines(output, dir, byFile) }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Rewrites `<file>(line,col): error …` into `README.md:line:col: error …`. */
function toReadmeLines(output: string, dir: string, byFile: Map<string, CodeBlock>): string[] {
  const errors: string[] = []
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue
    const located = /^(.*?)\((\d+),(\d+)\): (.*)$/.exec(line)
    const block = located && byFile.get(relative(dir, join(dir, located[1]!)).split(/[\\/]/).pop()!)
    if (located && block) {
      errors.push(`${block.readme}:${block.firstLine + Number(located[2]) - 1}:${located[3]}: ${located[4]}`)
    } else if (errors.length > 0 && line.startsWith(' ')) {
      errors[errors.length - 1] += `\n${line}`
    } else {
      errors.push(line)
    }
  }
  return errors
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const { checked, skipped, errors } = await checkReadmeCode(root)
  for (const error of errors) console.error(error)
  console.log(
    `README code: ${checked.length} blocks compiled, ${skipped.length} marked no-check, ${errors.length} errors`,
  )
  process.exitCode = errors.length > 0 ? 1 : 0
}
