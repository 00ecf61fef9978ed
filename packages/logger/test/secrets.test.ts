import { randomUUID } from 'node:crypto'
import { Logger } from '@aws-lambda-powertools/logger'
import { containsSecret, forgetSecret, registerSecret, wrap } from '@lamina/core'
import { logging, redactLoggerOutput } from '@lamina/logger'
import { type CapturedOutput, captureOutput, createContext, events, setLambdaEnvironment } from '@lamina/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

let restoreEnvironment: () => void
let output: CapturedOutput
let canary: string
// A secret with characters JSON escapes: the secrets package registers both forms.
let quoted: string

beforeEach(() => {
  restoreEnvironment = setLambdaEnvironment({ POWERTOOLS_LOG_LEVEL: 'DEBUG' })
  canary = `canary-${randomUUID()}`
  quoted = `pa"ss\\${randomUUID()}`
  for (const secret of [canary, quoted, JSON.stringify(quoted).slice(1, -1)]) registerSecret(secret)
  output = captureOutput()
})

afterEach(() => {
  output.restore()
  for (const secret of [canary, quoted, JSON.stringify(quoted).slice(1, -1)]) forgetSecret(secret)
  restoreEnvironment()
})

describe('logging: registered secrets never reach a line', () => {
  it('masks a canary in the message, keys, key names, the event, the error and a child logger', async () => {
    // Prepare
    const logger = new Logger()
    const handler = wrap<{ token: string }>()
      .use(logging({ logger, logEvent: true }))
      .handler(async (_event, context) => {
        context.logger.info(`token is ${canary}`)
        context.logger.debug('extra', { token: canary, nested: { list: [canary, quoted] } })
        context.logger.warn('key name', { [canary]: 'value' })
        context.logger.appendKeys({ session: canary })
        context.logger.critical('critical', quoted)
        context.logger.createChild({ serviceName: 'child' }).info(`child says ${canary}`)
        throw new Error(`could not use ${canary}`, { cause: new Error(`upstream rejected ${quoted}`) })
      })
    const event = { ...events.apiGatewayV2({ headers: { authorization: canary } }), token: canary }

    // Act
    await expect(handler(event, createContext() as never)).rejects.toThrow(canary)

    // Assess: the lines were written, and the canary is in none of them.
    const text = output.text()
    expect(output.records().length).toBeGreaterThanOrEqual(7)
    expect(text).toContain('****')
    expect(text).not.toContain(canary)
    expect(text).not.toContain(JSON.stringify(quoted).slice(1, -1))
    expect(containsSecret(text)).toBe(false)
    expect(output.records().some((line) => line.message === 'child says ****')).toBe(true)
  })

  it('masks the lines of a Logger the user built, whatever it is called through', () => {
    // Prepare
    const logger = new Logger({ persistentKeys: { owner: 'team' } })
    redactLoggerOutput(logger)
    redactLoggerOutput(logger)

    // Act
    logger.info(canary)
    logger.error('failed', new Error(canary))

    // Assess
    expect(output.lines).toHaveLength(2)
    expect(output.text()).not.toContain(canary)
  })

  it('masks every string argument when its console is called with several, and leaves the others', () => {
    // Prepare: Powertools writes one finished line per call; anything else writing through the
    // same console may pass several arguments.
    const logger = new Logger()
    redactLoggerOutput(logger)
    const { console: sink } = logger as unknown as { console: { info(...args: unknown[]): void } }

    // Act
    sink.info(`first ${canary}`, canary, 42)

    // Assess
    expect(output.lines).toHaveLength(1)
    expect(output.text()).not.toContain(canary)
    expect(output.text()).toContain('first **** **** 42')
  })

  it('refuses a logger whose output it cannot reach, rather than leak', () => {
    expect(() => redactLoggerOutput({})).toThrow(/cannot reach this Logger's output/)
    expect(() => logging({ logger: {} as Logger })).toThrow(/2\.36 or later/)
  })
})
