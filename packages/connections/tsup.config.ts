import { defineConfig } from 'tsup'
import base from '../../tsup.base.js'

// keepAliveAgents() (undici, @smithy/node-http-handler) is an entry of its own, so dist/index.js
// only re-exports it: with "sideEffects": false, a bundler drops that file, and undici with it,
// from a function that imports clients() or tracedFetch() alone.
export default defineConfig({
  ...base,
  entry: ['src/index.ts', 'src/agents.ts'],
  splitting: true,
})
