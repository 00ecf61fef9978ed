// Runs a README's own example: the ```ts block is read from the README and imported, so a
// behaviour test of the documented code cannot drift into an edited copy of it.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { extractBlocks } from '../../scripts/readme-code.ts'
import { repoRoot } from './built-packages.ts'

/** The README's text; `readme` is relative to the repository root. */
export const readReadme = (readme: string) => readFile(join(repoRoot, readme), 'utf8')

/**
 * Imports the first ```ts block of `readme` that declares `export const <exported>`, and returns
 * its exports. The block is written under .tmp (a folder per process) only for the import, and removed afterwards.
 */
export async function importReadmeExample(readme: string, exported: string): Promise<Record<string, unknown>> {
  const declaration = new RegExp(`^export const ${exported}\\b`, 'm')
  const block = extractBlocks(await readReadme(readme), readme).find(({ code }) => declaration.test(code))
  if (block === undefined) {
    throw new Error(`${readme} has no \`\`\`ts block with "export const ${exported}"; update the test or the README.`)
  }
  const dir = join(repoRoot, '.tmp', `readme-example-${process.pid}`)
  const file = join(dir, `${readme.replace(/[\\/]/g, '__')}--line-${block.firstLine}.ts`)
  await mkdir(dir, { recursive: true })
  await writeFile(file, block.code)
  try {
    return await import(pathToFileURL(file).href)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
