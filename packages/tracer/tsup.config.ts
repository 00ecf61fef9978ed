import { defineConfig } from 'tsup'
import base from '../../tsup.base.js'

// lib/powertools-tracer.cjs ships as the CommonJS file it is, beside dist/: dist/index.js and
// dist/index.cjs import() it by the same relative path as src/tracing.ts does. Inlined, its
// require() would be esbuild's, which an ES module has no `require` for; left as a file, a
// user's bundler reads it as CommonJS (see that file for why).
export default defineConfig({
  ...base,
  esbuildPlugins: [
    {
      name: 'powertools-tracer-as-its-own-file',
      setup(build) {
        build.onResolve({ filter: /\/powertools-tracer\.cjs$/ }, ({ path }) => ({ path, external: true }))
      },
    },
  ],
})
