// Which files of a split bundle a function reads at init, from esbuild's metafile.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Metafile } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleFiles } from '../../src/build/chunks.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lamina-chunks-'))
  for (const name of ['handler.mjs', 'shared-a.mjs', 'shared-b.mjs', 'runtime.mjs', 'tracer.mjs'])
    await writeFile(join(dir, name), `// ${name}`)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const output = (imports: Metafile['outputs'][string]['imports']) => ({ bytes: 1, inputs: {}, imports, exports: [] })

describe('bundleFiles', () => {
  it('counts the entry and what it imports statically, once each, as read at init; an import() chunk is not', async () => {
    // Prepare: the entry imports two chunks that both import the runtime chunk, and import()s the tracer's
    const metafile: Metafile = {
      inputs: {},
      outputs: {
        'tracer.mjs': output([{ path: 'runtime.mjs', kind: 'import-statement' }]),
        'handler.mjs': output([
          { path: 'shared-a.mjs', kind: 'import-statement' },
          { path: 'shared-b.mjs', kind: 'import-statement' },
          { path: 'node:http', kind: 'import-statement', external: true },
          { path: 'tracer.mjs', kind: 'dynamic-import' },
        ]),
        'shared-a.mjs': output([{ path: 'runtime.mjs', kind: 'import-statement' }]),
        'shared-b.mjs': output([{ path: 'runtime.mjs', kind: 'import-statement' }]),
        'runtime.mjs': output([]),
        'handler.mjs.map': output([]),
      },
    }

    // Act
    const files = await bundleFiles(metafile, dir, join(dir, 'handler.mjs'))

    // Assess
    const names = (paths: Iterable<string>) => [...paths].map((path) => path.slice(dir.length + 1)).sort()
    expect(files.all[0]?.path).toBe(join(dir, 'handler.mjs'))
    expect(names(files.all.map((file) => file.path))).toEqual([
      'handler.mjs',
      'runtime.mjs',
      'shared-a.mjs',
      'shared-b.mjs',
      'tracer.mjs',
    ])
    expect(names(files.atInit)).toEqual(['handler.mjs', 'runtime.mjs', 'shared-a.mjs', 'shared-b.mjs'])
    expect(files.all.find((file) => file.path.endsWith('tracer.mjs'))?.code.toString()).toBe('// tracer.mjs')
  })
})
