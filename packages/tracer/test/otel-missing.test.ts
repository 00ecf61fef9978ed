// A deployment that turned the OpenTelemetry mode on without shipping @opentelemetry/*.
import { wrap } from '@lamina/core'
import { createContext, setLambdaEnvironment } from '@lamina/testing'
import { tracing } from '@lamina/tracer'
import { afterAll, describe, expect, it, vi } from 'vitest'

vi.mock('@opentelemetry/exporter-trace-otlp-http', () => {
  throw new Error("Cannot find package '@opentelemetry/exporter-trace-otlp-http'")
})

const restoreEnvironment = setLambdaEnvironment({ POWERTOOLS_TRACE_ENABLED: undefined })
afterAll(() => restoreEnvironment())

describe("tracing({ mode: 'otel' }) without OpenTelemetry installed", () => {
  it('fails the invocation saying what is missing and what to do, and leaves no unhandled rejection', async () => {
    // Prepare
    const handler = wrap(async () => 'never').use(tracing({ mode: 'otel' }))

    // Act
    const error = await handler({}, createContext()).catch((thrown: unknown) => thrown)

    // Assess
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/could not load @opentelemetry.*install the packages.*LAMINA_TRACING=xray/)
    expect((error as Error).cause).toBeInstanceOf(Error)
  })
})
