import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const fixture = fileURLToPath(new URL('./fixtures/hang-without-io.ts', import.meta.url))

/** Runs the fixture in a fresh Node process (tsx maps @lamina/* to src through the root tsconfig). */
function runFixture(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', fixture], { cwd: root, timeout: 15_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`fixture failed: ${error.message}\n${stderr}`)) : resolve(stdout.trim()),
    )
  })
}

// The armed deadline timer must keep the event loop alive: while a guarded invocation waits on
// something that holds no handle of its own, Node would otherwise empty the loop before the guard
// fires, and under Lambda the runtime's 'beforeExit' listener would post a null response with no
// onError or cleanup run. Core's timer is ref'd and cleared by dispose() on every path.
describe('core: an armed deadline keeps the process alive until the guard fires', () => {
  test('a handler hanging on a promise with no I/O still ends in a TimeoutError', async () => {
    const output = await runFixture()

    expect(output).toBe('rejected TimeoutError')
  })
})
