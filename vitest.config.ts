import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('.', import.meta.url))

// Packages under test are read from src (so coverage is of src); the packaging test
// installs the built tarballs on its own.
const packageCoverage = (lines: number, branches: number) => ({ lines, branches, functions: lines, statements: lines })

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@lamina\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
      // Core's execution modes are subpath entries (`@lamina/core/stream`, `@lamina/core/durable`).
      { find: /^@lamina\/core\/(stream|durable)$/, replacement: `${root}packages/core/src/modes/$1.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 20_000,
    // Tests only: the AWS SDK warns once per process (seven test workers) that its 2027 releases
    // need Node >= 22. The README says so once; in test output it only buries failures.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    hookTimeout: 60_000,
    typecheck: {
      enabled: true,
      include: ['packages/*/test/**/*.test-d.ts', 'test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      // The local runtime's child entry runs only in the function's own process, where vitest's v8
      // coverage cannot see it; every test through startLocalFunction runs it end to end
      // (packages/local/test/runtime/local-function.test.ts, managed-instances.test.ts).
      exclude: ['packages/local/src/runtime/child.ts'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        'packages/core/src/**': packageCoverage(100, 100),
        'packages/{testing,validator,errors,timeout,logger,tracer,metrics,observability,connections,secrets}/src/**':
          packageCoverage(95, 95),
        'packages/{router,batch,retry,warmup,events,azure,gcp}/src/**': packageCoverage(95, 95),
        'packages/local/src/**': packageCoverage(90, 90),
      },
    },
  },
})
