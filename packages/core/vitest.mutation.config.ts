// The vitest run StrykerJS uses for each mutant of core (see stryker.config.mjs at the root):
// core's tests only, resolving every @lamina package to its sources as the main config does.
// Left out: the dual-package test, which loads the built dist rather than the sources Stryker
// mutates, and the type tests, which nothing at run time can kill.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('../../', import.meta.url))

export default defineConfig({
  root,
  resolve: {
    alias: [{ find: /^@lamina\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` }],
  },
  test: {
    include: ['packages/core/test/**/*.test.ts'],
    // The execution modes' tests too: the modes are not mutated (stryker.config.mjs says why).
    exclude: ['packages/core/test/dual-package.test.ts', 'packages/core/test/modes/**', '**/node_modules/**'],
    // Short: a mutant that leaves an invocation pending fails its test fast instead of timing out.
    testTimeout: 2_000,
    hookTimeout: 2_000,
    typecheck: { enabled: false },
  },
})
