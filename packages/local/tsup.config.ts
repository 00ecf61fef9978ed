import { defineConfig } from 'tsup'
import base from '../../tsup.base.js'

// The package's API (ESM + CommonJS, as every package), and the `lamina` bin: one ESM file
// (bin.lamina in package.json), its commands loaded on demand.
export default defineConfig([
  base as never,
  {
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    clean: false,
    target: 'node20',
    platform: 'node',
    treeshake: true,
    splitting: false,
  },
])
