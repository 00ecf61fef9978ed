// Whatever a handler throws, logging() and metrics() write exactly one well-formed error line and
// one EMF document, and never throw themselves: the invocation ends with the handler's own value
// (or the mapper's answer), and no cleanup failure is reported.
import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { lifecycleHooks, wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { clientErrorMessage, errorMessage, logging } from '@lamina/logger'
import { metrics } from '@lamina/metrics'
import {
  type CapturedOutput,
  captureOutput,
  createContext,
  events,
  hostileValues,
  setLambdaEnvironment,
} from '@lamina/testing'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

let restoreEnvironment: () => void
let output: CapturedOutput

beforeEach(() => {
  restoreEnvironment = setLambdaEnvironment({ POWERTOOLS_METRICS_NAMESPACE: 'lamina-tests', POWERTOOLS_DEV: undefined })
  output = captureOutput()
})

afterEach(() => {
  output.restore()
  restoreEnvironment()
})

const hostileCount = hostileValues().length

/**
 * Anything fast-check can make, or the index of a hostile value: the hostile value itself is made
 * inside the property, as fast-check reads (and prints) the values it generates.
 */
const thrownInput = fc.oneof(
  fc
    .anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withNullPrototype: true,
      withSet: true,
      withSparseArray: true,
      withTypedArray: true,
    })
    .map((value) => ({ value })),
  fc.integer({ min: 0, max: hostileCount - 1 }).map((hostile) => ({ hostile })),
)

// Every hostile value is tried first, then fast-check's own.
const everyHostileValue = hostileValues().map((_, hostile): [{ hostile: number }] => [{ hostile }])

const thrownValue = (input: { value: unknown } | { hostile: number }) =>
  'hostile' in input ? hostileValues()[input.hostile]?.value : input.value

/** The error lines and EMF documents written since the last reset; every error line must parse. */
function written() {
  const errorLines = output.lines.filter((line) => line.includes('"level":"ERROR"') || line.includes('"level":"WARN"'))
  const parsed = errorLines.map((line) => JSON.parse(line) as Record<string, any>)
  const documents = output.records().filter((record) => record._aws !== undefined && 'Errors' in record)
  return { parsed, documents }
}

function stack(thrown: { value: unknown }, reported: unknown[], mapped: boolean) {
  const builder = wrap<unknown>({ hooks: lifecycleHooks({ cleanupError: (error) => void reported.push(error) }) })
  if (mapped) builder.use(errorMapper())
  return builder
    .use(logging({ logger: new Logger() }))
    .use(metrics({ metrics: new Metrics(), coldStart: false }))
    .handler(async () => {
      throw thrown.value
    })
}

describe('logging() and metrics(): any thrown value', () => {
  it('rethrown to Lambda: the same value, one ERROR line that parses, Errors 1, nothing reported', async () => {
    await fc.assert(
      fc.asyncProperty(thrownInput, async (input) => {
        // Prepare
        const value = thrownValue(input)
        output.lines.length = 0
        const reported: unknown[] = []
        const handler = stack({ value }, reported, false)

        // Act
        const outcome = await handler(events.sqs([{ id: 1 }]), createContext()).then(
          (resolved) => ({ resolved }),
          (rejected: unknown) => ({ rejected }),
        )

        // Assess
        expect(outcome).toHaveProperty('rejected')
        expect(Object.is((outcome as { rejected: unknown }).rejected, value)).toBe(true)
        const { parsed, documents } = written()
        expect(parsed).toEqual([expect.objectContaining({ level: 'ERROR', message: errorMessage })])
        expect(parsed[0]?.error).toEqual(expect.any(Object))
        expect(documents).toEqual([expect.objectContaining({ Errors: 1 })])
        expect(reported).toEqual([])
      }),
      { examples: everyHostileValue },
    )
  })

  it('answered by errorMapper: one line that parses (WARN only for a 4xx answer), Errors by the answer', async () => {
    await fc.assert(
      fc.asyncProperty(thrownInput, async (input) => {
        // Prepare
        const value = thrownValue(input)
        output.lines.length = 0
        const reported: unknown[] = []
        const handler = stack({ value }, reported, true)

        // Act
        const response = (await handler(events.apiGatewayV2(), createContext())) as { statusCode: number }

        // Assess
        const clientError = response.statusCode < 500
        const { parsed, documents } = written()
        expect(parsed).toEqual([
          expect.objectContaining(
            clientError ? { level: 'WARN', message: clientErrorMessage } : { level: 'ERROR', message: errorMessage },
          ),
        ])
        expect(documents).toEqual([expect.objectContaining({ Errors: clientError ? 0 : 1 })])
        expect(reported).toEqual([])
      }),
      { examples: everyHostileValue },
    )
  })
})
