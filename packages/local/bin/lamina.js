#!/usr/bin/env node
// The `lamina` command's entry. It is a committed file, not the build output itself, so that
// `npm ci` in a checkout links it before the package is built (npm links a bin only if its file
// exists), and a checkout that was not built says what to do.
import { existsSync } from 'node:fs'

const cli = new URL('../dist/cli.js', import.meta.url)
if (!existsSync(cli)) {
  console.error('lamina: @lamina/local is not built (no dist/cli.js): run npm run build first.')
  process.exit(1)
}
const { main } = await import(cli.href)
process.exitCode = await main(process.argv.slice(2))
