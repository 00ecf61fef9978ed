// Shared build for every package: ESM + CommonJS + .d.ts/.d.cts from src/index.ts.
import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  sourcemap: false,
  treeshake: true,
  splitting: false,
})
