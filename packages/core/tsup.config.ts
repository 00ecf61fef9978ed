import { defineConfig } from 'tsup'
import base from '../../tsup.base.js'

// The main entry plus the execution modes as subpath entries (`@lamina/core/stream`,
// `@lamina/core/durable`). A mode imports the engine as `@lamina/core`, kept external in the
// JavaScript and in the declarations, so a function that uses both entries ships one engine and
// `import { wrap }` stays as small as it was. The declarations build reads that import from the
// sources (the dist it names is being built).
export default defineConfig({
  ...base,
  entry: { index: 'src/index.ts', stream: 'src/modes/stream.ts', durable: 'src/modes/durable.ts' },
  external: ['@lamina/core', '@aws/durable-execution-sdk-js'],
  dts: { compilerOptions: { baseUrl: '.', paths: { '@lamina/core': ['./src/index.ts'] } } },
})
