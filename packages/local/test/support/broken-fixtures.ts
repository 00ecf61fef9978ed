// A module that does not parse, written at test time (a committed one would fail the repo's lint).
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export async function syntaxErrorFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'lamina-broken-'))
  await writeFile(join(folder, 'syntax-error.mjs'), 'export const handler = async () => {\n  return {\n')
  return folder
}
