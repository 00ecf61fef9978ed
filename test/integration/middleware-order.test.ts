import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { logging } from '@lamina/logger'
import { metrics } from '@lamina/metrics'
import { observability } from '@lamina/observability'
import { secrets } from '@lamina/secrets'
import { type CapturedOutput, captureOutput, setLambdaEnvironment } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { tracing } from '@lamina/tracer'
import { validator } from '@lamina/validator'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'

// Every Lamina middleware carries its place in the one documented order, so a chain built in an
// order that loses behaviour warns once at init (never throws), naming the middleware and the order.
let restoreEnvironment: () => void
let output: CapturedOutput

beforeEach(() => {
  restoreEnvironment = setLambdaEnvironment({ POWERTOOLS_METRICS_NAMESPACE: 'lamina-tests' })
  output = captureOutput()
})

afterEach(() => {
  output.restore()
  restoreEnvironment()
  vi.restoreAllMocks()
})

// Nothing is fetched until an invocation reads a secret, so no source is needed here.
const localSecrets = () => secrets({ db: 'prod/db' })

describe('the order warning with the real middlewares', () => {
  it('stays silent for the documented order', () => {
    // Prepare
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})

    // Act
    wrap<unknown>()
      .use(timeoutGuard())
      .use(errorMapper())
      .use(observability())
      .use(validator({ body: z.object({ id: z.string() }) }))
      .use(localSecrets())
      .handler(async () => 'ok')

    // Assess
    expect(warn).not.toHaveBeenCalled()
  })

  it.each([
    ['errorMapper after logging', () => [logging(), errorMapper()], /"error-mapper" is used after "logging"/],
    [
      'timeoutGuard after errorMapper',
      () => [errorMapper(), timeoutGuard()],
      /"timeout-guard" is used after "error-mapper"/,
    ],
    [
      'metrics after the validator',
      () => [validator({ body: z.object({}) }), metrics()],
      /"metrics" is used after "validator"/,
    ],
    ['tracing after secrets', () => [localSecrets(), tracing()], /"tracing" is used after "secrets"/],
  ])('warns once when %s', (_name, chain, message) => {
    // Prepare
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})

    // Act: the whole chain reversed would warn several times; one line per chain is enough
    const wrapped = wrap<unknown>()
    for (const middleware of chain()) wrapped.use(middleware)
    wrapped.use(logging()).use(metrics())

    // Assess
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toMatch(message)
    expect(String(warn.mock.calls[0]?.[0])).toContain('timeoutGuard(), cors() if used, errorMapper(), observability')
  })

  it('warns for a fully reversed chain, once', () => {
    // Prepare
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})

    // Act
    wrap(async () => 'ok')
      .use(validator({ body: z.object({}) }))
      .use(observability())
      .use(errorMapper())
      .use(timeoutGuard())

    // Assess
    expect(warn).toHaveBeenCalledTimes(1)
  })
})
