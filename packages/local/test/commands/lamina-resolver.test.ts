// The one-copy resolver's answers for imports it cannot satisfy.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { laminaResolver } from '../../src/build/lamina-resolver.js'

const root = fileURLToPath(new URL('../../../../', import.meta.url))

async function bundle(source: string, dir: string) {
  const entry = join(dir, 'entry.mjs')
  await writeFile(entry, source)
  return build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    plugins: [laminaResolver()],
  })
}

describe('laminaResolver', () => {
  it('names a subpath a Lamina package does not export', async () => {
    // Inside the repository (where @lamina/core resolves), in a folder of its own, removed after.
    const cache = join(root, 'node_modules/.cache')
    await mkdir(cache, { recursive: true })
    const inside = await mkdtemp(join(cache, 'lamina-resolver-'))
    const error = await bundle("import '@lamina/core/nothing'", inside).catch((thrown) => thrown)
    await rm(inside, { recursive: true, force: true })
    expect(error.errors[0].text).toBe('@lamina/core does not export /nothing: check the import path.')
  })

  it('leaves a package that is not installed to esbuild, which names it', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'lamina-resolver-'))
    const error = await bundle("import '@lamina/not-a-package'", outside).catch((thrown) => thrown)
    expect(error.errors[0].text).toContain('Could not resolve "@lamina/not-a-package"')
  })
})
