// The dual-package hazard: one process loads the built core twice, once as ESM (dist/index.js)
// and once as CommonJS (dist/index.cjs), as a bundle or a mixed project can. Two copies of every
// class and module-level value; a guard from one copy must still work on a request from the
// other, and a secret registered in one must be masked by the other.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import type * as Core from '@lamina/core'
import { createContext } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const dist = fileURLToPath(new URL('../dist/', import.meta.url))

let esm: typeof Core
let cjs: typeof Core

beforeAll(async () => {
  // Prepare: a fresh build of core (turbo replays it from its cache when nothing changed).
  try {
    await promisify(execFile)('npx', ['turbo', 'run', 'build', '--filter=@lamina/core', '--output-logs=errors-only'], {
      cwd: root,
      timeout: 120_000,
    })
  } catch (error) {
    throw new Error(`Building @lamina/core failed, so the dual-package test cannot run: ${String(error)}`)
  }
  if (!existsSync(`${dist}index.js`) || !existsSync(`${dist}index.cjs`)) {
    throw new Error(
      `The build left no ${dist}index.js and index.cjs; run npm run build -w @lamina/core and look at its output.`,
    )
  }
  esm = (await import(pathToFileURL(`${dist}index.js`).href)) as typeof Core
  cjs = createRequire(import.meta.url)(`${dist}index.cjs`) as typeof Core
}, 150_000)

afterEach(() => {
  vi.restoreAllMocks()
})

/** A timeout guard built on one copy's armTimeout, answering a timeout with 504 in its onError. */
const guardFrom = (core: typeof Core, marginMs: number): Core.Middleware => ({
  name: 'guard',
  before: (request) => void core.armTimeout(request, marginMs),
  onError: (request) => (core.isTimeoutError(request.error) ? { statusCode: 504 } : undefined),
})

const hangs = () => new Promise<never>(() => undefined)

describe('two copies of core in one process (ESM and CommonJS)', () => {
  test('they are two copies: different functions, different classes', () => {
    expect(esm.wrap).not.toBe(cjs.wrap)
    expect(esm.TimeoutError).not.toBe(cjs.TimeoutError)
  })

  test.each([
    ['the guard from CommonJS, wrap from ESM', () => [cjs, esm] as const],
    ['the guard from ESM, wrap from CommonJS', () => [esm, cjs] as const],
  ])('%s: a hanging handler times out and is answered', async (_label, copies) => {
    // Prepare
    const [guardCore, wrapCore] = copies()
    let aborted: unknown
    const handler = wrapCore
      .wrap((_event: unknown, _context: unknown, { signal }: { signal: AbortSignal }) => {
        signal.addEventListener('abort', () => {
          aborted = signal.reason
        })
        return hangs()
      })
      .use(guardFrom(guardCore, 100))

    // Act
    const response = await handler({}, createContext({ timeoutMs: 200 }))

    // Assess
    expect(response).toEqual({ statusCode: 504 })
    expect(esm.isTimeoutError(aborted)).toBe(true)
    expect(cjs.isTimeoutError(aborted)).toBe(true)
  })

  test('the real timeoutGuard (on core from source, a third copy) guards a handler wrapped by the built ESM core', async () => {
    const handler = esm.wrap(hangs).use(timeoutGuard({ marginMs: 100, response: { statusCode: 504, body: 'late' } }))
    expect(await handler({}, createContext({ timeoutMs: 200 }))).toEqual({ statusCode: 504, body: 'late' })
  })

  test('a secret registered in one copy is masked by the other, and by its default failure report', async () => {
    const secret = 'dual-package-canary-s3cr3t'
    cjs.registerSecret(secret)
    try {
      expect(esm.redactSecrets(`token=${secret}`)).toBe('token=****')
      expect(esm.containsSecret(secret)).toBe(true)
      const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const handler = esm
        .wrap(() => 'ok')
        .use({
          name: 'db',
          cleanup: () => {
            throw new Error(`close failed: ${secret}`)
          },
        })
      expect(await handler({}, createContext())).toBe('ok')
      expect(String(errorLog.mock.calls[0]?.[0])).toContain('close failed: ****')
      expect(String(errorLog.mock.calls[0]?.[0])).not.toContain(secret)
    } finally {
      esm.forgetSecret(secret)
    }
    expect(cjs.containsSecret(secret)).toBe(false)
  })

  test.each([
    ['prepared by CommonJS, set process-wide, taken by ESM wrap', () => [cjs, esm] as const],
    ['prepared by ESM, set process-wide, taken by CommonJS wrap', () => [esm, cjs] as const],
  ])('lifecycle hooks %s: every step is reported, a failing hook is shielded', async (_label, copies) => {
    // Prepare: a tool (the local runtime) prepares hooks with its copy before the function's module loads.
    const [toolCore, functionCore] = copies()
    const key = Symbol.for('lamina.hooks')
    const log: string[] = []
    ;(globalThis as Record<symbol, unknown>)[key] = toolCore.lifecycleHooks({
      hookStart: (phase, name) => void log.push(`${name}.${phase}`),
      handlerEnd: () => {
        throw new Error('timing sink down')
      },
      cleanupError: (_error, name) => void log.push(`reported ${name}`),
    })
    let handler: Core.WrappedHandler<unknown, Core.Context, string>
    try {
      handler = functionCore.wrap(() => 'ok').use({ name: 'm', before: () => undefined })
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key]
    }

    // Act
    const answer = await handler({}, createContext())

    // Assess
    expect(answer).toBe('ok')
    expect(log).toEqual(['m.before', 'reported hooks.handlerEnd'])
  })

  test('a request that is not one of core’s is still refused with a clear message', () => {
    expect(() => esm.armTimeout({ context: createContext() } as never, 100)).toThrow(
      /armTimeout\(\) needs a request from @lamina\/core wrap\(\)/,
    )
  })
})
