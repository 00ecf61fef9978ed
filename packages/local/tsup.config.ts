import { defineConfig } from 'tsup'
import base from '../../tsup.base.js'

// The package's API (ESM + CommonJS, as every package); the `lamina` bin (bin.lamina in
// package.json), its commands loaded on demand; and the runtime loop each function's process runs
// (dist/runtime-child.js, found next to whichever of the two loaded the runtime).
export default defineConfig([
  base as never,
  {
    entry: { cli: 'src/cli.ts', 'runtime-child': 'src/runtime/child.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    target: 'node20',
    platform: 'node',
    treeshake: true,
    splitting: false,
  },
])
