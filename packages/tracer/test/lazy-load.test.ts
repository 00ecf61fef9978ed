import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { tracingEnabledByEnvironment } from '@lamina/tracer'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../../', import.meta.url))

// Runs one invocation through tracing() in a fresh Node process and reports whether the X-Ray
// SDK (a CommonJS package, so it shows in require.cache even when imported from ESM) was loaded.
const script = `
const { tracing } = await import('${root}packages/tracer/src/index.ts')
const { wrap } = await import('${root}packages/core/src/index.ts')
const handler = wrap(async () => 'ok').use(tracing())
const result = await handler({}, { functionName: 'f', getRemainingTimeInMillis: () => 1000 })
const { createRequire } = await import('node:module')
const loaded = Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('aws-xray-sdk-core'))
process.stdout.write(JSON.stringify({ result, loaded }))
`

async function xraySdkLoaded(env: Record<string, string | undefined>): Promise<boolean> {
  const clean = Object.fromEntries(
    Object.entries({ ...process.env, ...env }).filter(
      ([key, value]) => value !== undefined && !key.startsWith('AWS_') && !key.startsWith('POWERTOOLS_'),
    ),
  )
  for (const [key, value] of Object.entries(env)) if (value !== undefined) clean[key] = value
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env: clean as NodeJS.ProcessEnv,
  })
  const { result, loaded } = JSON.parse(stdout)
  expect(result).toBe('ok')
  return loaded
}

describe('tracing: the X-Ray SDK is loaded only when tracing is on', () => {
  it.each([
    ['outside Lambda', {}],
    [
      'with POWERTOOLS_TRACE_ENABLED=false',
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', POWERTOOLS_TRACE_ENABLED: 'false' },
    ],
    ['under SAM local', { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', AWS_SAM_LOCAL: 'true' }],
  ])('is never imported %s', async (_name, env) => {
    expect(await xraySdkLoaded(env)).toBe(false)
  })

  it('is imported in Lambda with tracing on', async () => {
    expect(
      await xraySdkLoaded({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' }),
    ).toBe(true)
  })
})

describe('tracingEnabledByEnvironment: Powertools’ rules without loading Powertools', () => {
  it.each([
    [{}, false],
    [{ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' }, true],
    [{ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'FALSE' }, false],
    [{ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'true' }, true],
    [{ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' }, false],
    [{ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_SAM_LOCAL: 'true' }, false],
  ])('%j → %s', (env, expected) => {
    expect(tracingEnabledByEnvironment(env)).toBe(expected)
  })

  it('is off for any environment without AWS_EXECUTION_ENV', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (env) => {
        delete env.AWS_EXECUTION_ENV
        expect(tracingEnabledByEnvironment(env)).toBe(false)
      }),
    )
  })
})
