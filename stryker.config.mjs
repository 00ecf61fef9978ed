// Mutation testing of @lamina/core: `npm run mutation`. Mutates core's sources and runs only
// core's own tests against each mutant (a few minutes on two cores). The run fails below 95%.
// A mutant that survives is either killed by a test or, when no test could tell it apart,
// explained where it lives with `// Stryker disable next-line <mutator>: <why it is equivalent>`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'packages/core/vitest.mutation.config.ts', related: false },
  mutate: [
    'packages/core/src/**/*.ts',
    // Re-exports and type declarations: nothing to mutate at run time.
    '!packages/core/src/index.ts',
    '!packages/core/src/types.ts',
    '!packages/core/src/context.ts',
    // The execution modes: their tests drive real streams to their deadline and the durable SDK's
    // local runner (a workflow takes about a second), too slow to rerun per mutant in the 2 s this
    // run allows on two cores. Their own tests (packages/core/test/modes) cover them at 100%.
    '!packages/core/src/modes/**',
  ],
  // The sandbox needs the sources the tests import (core, testing, timeout) and the root configs.
  ignorePatterns: ['**/dist', '/coverage', '/bench', '/examples', '/test', '.turbo', '/.tmp', '*.tgz'],
  tempDirName: '.tmp/stryker',
  coverageAnalysis: 'perTest',
  timeoutMS: 4000,
  concurrency: 2,
  thresholds: { high: 98, low: 95, break: 95 },
  reporters: ['clear-text', 'progress'],
}
