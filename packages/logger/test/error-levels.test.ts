import { Logger } from '@aws-lambda-powertools/logger'
import { wrap } from '@lamina/core'
import { BadRequest, errorMapper, NotFound } from '@lamina/errors'
import { clientErrorMessage, errorMessage, logging } from '@lamina/logger'
import { type CapturedOutput, captureOutput, createContext, events, setLambdaEnvironment } from '@lamina/testing'
import { ValidationError } from '@lamina/validator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

let restoreEnvironment: () => void
let output: CapturedOutput

beforeEach(() => {
  restoreEnvironment = setLambdaEnvironment({ POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_DEV: undefined })
  output = captureOutput()
})

afterEach(() => {
  output.restore()
  restoreEnvironment()
})

/** The lines logging() wrote about the invocation's error, whatever their level. */
const errorLines = () =>
  output.records().filter((line) => line.message === errorMessage || line.message === clientErrorMessage)

/** The reference order: errorMapper first, so its onError answers after logging's ran. */
function mapped(throwing: () => never, options: Parameters<typeof logging>[0] = {}) {
  return wrap(async () => throwing())
    .use(errorMapper())
    .use(logging({ logger: new Logger(), ...options }))
}

describe('logging: the error line follows the answer', () => {
  it('writes an error answered with a 4xx at WARN, without a stack, with the status', async () => {
    // Prepare
    const handler = mapped(() => {
      throw new NotFound('no order o-42')
    })

    // Act
    const response = await handler(events.apiGatewayV2(), createContext())

    // Assess
    expect(response).toMatchObject({ statusCode: 404 })
    expect(errorLines()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: clientErrorMessage,
        status: 404,
        error: expect.objectContaining({ name: 'NotFound', message: 'no order o-42', statusCode: 404 }),
      }),
    ])
    expect(output.text()).not.toContain('    at ')
  })

  it("never formats a 4xx error's stack (the dearest part of describing it, and left out of the line)", async () => {
    // Prepare: a stack that counts its reads, as V8 formats it lazily on first read.
    let stackReads = 0
    const handler = mapped(() => {
      const error = new NotFound('no order o-43')
      Object.defineProperty(error, 'stack', {
        get: () => {
          stackReads++
          return 'NotFound: no order o-43\n    at somewhere'
        },
      })
      throw error
    })

    // Act
    const response = await handler(events.apiGatewayV2(), createContext())

    // Assess
    expect(response).toMatchObject({ statusCode: 404 })
    expect(errorLines()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        status: 404,
        error: expect.objectContaining({ message: 'no order o-43' }),
      }),
    ])
    expect(stackReads).toBe(0)
  })

  it('writes an error answered with a 5xx at ERROR, with its stack, before the mapper answers', async () => {
    // Prepare
    const handler = mapped(() => {
      throw new Error('database down')
    })

    // Act
    const response = await handler(events.apiGatewayV2(), createContext())

    // Assess
    expect(response).toMatchObject({ statusCode: 500 })
    const [line, ...rest] = errorLines()
    expect(rest).toHaveLength(0)
    expect(line).toMatchObject({ level: 'ERROR', message: errorMessage, error: { message: 'database down' } })
    expect(line?.error.stack).toContain('database down')
  })

  it('writes a 4xx error that ends the invocation by throwing (an SQS poison message) at ERROR, with its stack', async () => {
    // Prepare: errorMapper rethrows for SQS, so Lambda retries the batch.
    const handler = mapped(() => {
      throw new ValidationError('order has no sku')
    })

    // Act
    const thrown = await handler(events.sqs([{ id: 1 }]), createContext()).catch((error: unknown) => error)

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError)
    const [line, ...rest] = errorLines()
    expect(rest).toHaveLength(0)
    expect(line).toMatchObject({ level: 'ERROR', message: errorMessage, error: { name: 'ValidationError' } })
    expect(line?.error.stack).toContain('order has no sku')
  })

  it('writes a 4xx error at ERROR when nothing answers it', async () => {
    // Prepare
    const handler = wrap(async () => {
      throw new BadRequest('no mapper')
    }).use(logging())

    // Act
    await expect(handler(events.apiGatewayV2(), createContext())).rejects.toThrow('no mapper')

    // Assess
    expect(errorLines()).toEqual([expect.objectContaining({ level: 'ERROR', message: errorMessage })])
  })

  it.each([
    ['info', 'INFO'],
    ['debug', 'DEBUG'],
  ] as const)('writes a client error at %s when clientErrorLevel says so', async (level, written) => {
    // Prepare
    const handler = mapped(
      () => {
        throw new NotFound('gone')
      },
      { clientErrorLevel: level },
    )

    // Act
    await handler(events.apiGatewayV2(), createContext())

    // Assess
    expect(errorLines()).toEqual([expect.objectContaining({ level: written, message: clientErrorMessage })])
  })

  it('writes a client error as a failure with clientErrorLevel: error, and not at all with off', async () => {
    // Prepare
    const throwing = () => {
      throw new NotFound('gone')
    }
    const asFailure = mapped(throwing, { clientErrorLevel: 'error' })
    const silent = mapped(throwing, { clientErrorLevel: 'off' })

    // Act
    await asFailure(events.apiGatewayV2(), createContext())
    await silent(events.apiGatewayV2(), createContext())

    // Assess
    const [line, ...rest] = errorLines()
    expect(rest).toHaveLength(0)
    expect(line).toMatchObject({ level: 'ERROR', message: errorMessage })
    expect(line?.error.stack).toContain('gone')
  })

  it('rejects a clientErrorLevel it does not know, naming the ones it takes', () => {
    expect(() => logging({ clientErrorLevel: 'loud' as never })).toThrow(
      /clientErrorLevel.*'debug', 'info', 'warn', 'error', 'off'.*loud/,
    )
  })
})
