// Writes packages/<name>/package.json with the shared build and exports layout,
// so every package is shaped the same way (ESM + CJS + .d.ts, sideEffects: false).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'

const [name, description, depsJson = '{}'] = process.argv.slice(2)
if (!name || !description) {
  console.error('usage: node scripts/package-json.mjs <name> <description> [dependencies-json]')
  process.exit(2)
}
const dir = `packages/${name}`
mkdirSync(`${dir}/src`, { recursive: true })
mkdirSync(`${dir}/test`, { recursive: true })
const pkg = {
  name: `@lamina/${name}`,
  version: '0.1.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  engines: { node: '>=20.18.1' },
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.ts',
  exports: {
    '.': {
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './package.json': './package.json',
  },
  files: ['dist', 'README.md'],
  scripts: { build: 'tsup' },
  dependencies: JSON.parse(depsJson),
}
writeFileSync(`${dir}/package.json`, `${JSON.stringify(pkg, null, 2)}\n`)
if (!existsSync(`${dir}/tsup.config.ts`)) {
  writeFileSync(`${dir}/tsup.config.ts`, "export { default } from '../../tsup.base.js'\n")
}
