import { copyFile } from 'node:fs/promises'
import { defineConfig } from 'tsup'
import base from '../../tsup.base.js'

// src/powertools-tracer.cjs ships as a file of its own beside dist/index.js and dist/index.cjs, both
// of which import() it: inlined, its require() would be esbuild's, which an ES module has no
// `require` for. A user's bundler then reads it as the CommonJS file it is (see that file for why).
const powertoolsTracer = './powertools-tracer.cjs'

export default defineConfig({
  ...base,
  esbuildPlugins: [
    {
      name: 'powertools-tracer-as-its-own-file',
      setup(build) {
        build.onResolve({ filter: /^\.\/powertools-tracer\.cjs$/ }, () => ({ path: powertoolsTracer, external: true }))
      },
    },
  ],
  async onSuccess() {
    // Types are not needed there: the declarations never name this file.
    await copyFile('src/powertools-tracer.cjs', 'dist/powertools-tracer.cjs')
  },
})
