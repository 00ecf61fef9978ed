// Which packages a bundle holds more than one copy of, read from esbuild's metafile: a copy is one
// installed package folder; a workspace package's src/ and its built files are two copies (the
// same engine once from source through tsconfig paths, once built).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import type { Metafile } from 'esbuild'

function packageOf(file: string, cache: Map<string, { name: string; dir: string } | null>) {
  let dir = dirname(file)
  const visited: string[] = []
  while (true) {
    const known = cache.get(dir)
    if (known !== undefined) {
      for (const folder of visited) cache.set(folder, known)
      return known
    }
    visited.push(dir)
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }
      if (typeof name === 'string') {
        const found = { name, dir }
        for (const folder of visited) cache.set(folder, found)
        return found
      }
    }
    const parent = dirname(dir)
    if (parent === dir) {
      for (const folder of visited) cache.set(folder, null)
      return null
    }
    dir = parent
  }
}

/** Package name → the distinct copies (`<package folder>/<top folder>`) the bundle took files from. */
export function packageCopies(metafile: Metafile, workingDir: string): Map<string, string[]> {
  const cache = new Map<string, { name: string; dir: string } | null>()
  const copies = new Map<string, Set<string>>()
  for (const input of Object.keys(metafile.inputs)) {
    if (input.includes(':')) continue // virtual modules (esbuild's runtime helpers)
    const file = resolve(workingDir, input)
    const pkg = packageOf(file, cache)
    if (pkg === null) continue
    const top = relative(pkg.dir, file).split(sep)[0]
    const key = top === 'src' ? join(pkg.dir, 'src') : pkg.dir
    const set = copies.get(pkg.name) ?? new Set()
    set.add(key)
    copies.set(pkg.name, set)
  }
  return new Map([...copies].map(([name, set]) => [name, [...set]]))
}
