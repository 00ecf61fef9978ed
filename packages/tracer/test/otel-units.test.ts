import { httpEvents } from '@lamina/testing'
import { tracing, tracingModeFromEnvironment } from '@lamina/tracer'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { namedExports } from '../src/named-exports.js'
import { accountOf, invocationAttributes, statusCodeOf } from '../src/otel/attributes.js'
import { sharedFlush } from '../src/otel/flush.js'

describe('tracingModeFromEnvironment: LAMINA_TRACING', () => {
  it.each([
    [undefined, 'xray'],
    ['', 'xray'],
    ['xray', 'xray'],
    [' OTEL ', 'otel'],
    ['otel', 'otel'],
  ])('%j → %s', (value, mode) => {
    expect(tracingModeFromEnvironment(value === undefined ? {} : { LAMINA_TRACING: value })).toBe(mode)
  })

  it('refuses any other value, naming it and the two it takes', () => {
    fc.assert(
      fc.property(
        fc.string().filter((value) => !['', 'otel', 'xray'].includes(value.trim().toLowerCase())),
        (value) => {
          expect(() => tracingModeFromEnvironment({ LAMINA_TRACING: value })).toThrow(/set it to "otel".*or "xray"/)
        },
      ),
    )
  })
})

describe('tracing(): choosing the mode', () => {
  it("refuses a Powertools tracer with mode 'otel', saying what to do", () => {
    expect(() => tracing({ mode: 'otel', tracer: {} as never })).toThrow(/drop the tracer.*or use mode 'xray'/)
  })

  it('keeps the X-Ray mode for a given Powertools tracer even with LAMINA_TRACING=otel', () => {
    const previous = process.env.LAMINA_TRACING
    process.env.LAMINA_TRACING = 'otel'
    try {
      const middleware = tracing({ tracer: { isTracingEnabled: () => false } as never })
      // The X-Ray mode's off middleware has no cleanup; the OpenTelemetry mode's always sets context.tracer.
      expect(middleware.cleanup).toBeUndefined()
      const context: Record<string, unknown> = {}
      middleware.before?.({ context } as never)
      expect(context.tracer).toBeUndefined()
    } finally {
      if (previous === undefined) delete process.env.LAMINA_TRACING
      else process.env.LAMINA_TRACING = previous
    }
  })
})

describe('invocationAttributes: the FaaS and HTTP semantic conventions from any event and context', () => {
  it('reads an ALB request and a function URL request', () => {
    expect(invocationAttributes(httpEvents.alb({ method: 'PUT', path: '/items/7' }), {}, false)).toMatchObject({
      'faas.trigger': 'http',
      'http.request.method': 'PUT',
      'http.route': '/items/7',
    })
    expect(invocationAttributes(httpEvents.functionUrl({ method: 'GET', path: '/x' }), {}, false)).toMatchObject({
      'faas.trigger': 'http',
      'http.route': '/x',
    })
  })

  it('leaves out the method and route an HTTP event does not carry', () => {
    const attributes = invocationAttributes({ requestContext: { elb: {} } }, {}, false)
    expect(attributes['faas.trigger']).toBe('http')
    expect(attributes).not.toHaveProperty('http.request.method')
    expect(attributes).not.toHaveProperty('http.route')
  })

  it('names the trigger of queue, stream and scheduled events', () => {
    expect(invocationAttributes({ Records: [{ eventSource: 'aws:sqs' }] }, {}, false)['faas.trigger']).toBe('pubsub')
    expect(invocationAttributes({ Records: [{ eventSource: 'aws:dynamodb' }] }, {}, false)['faas.trigger']).toBe(
      'datasource',
    )
  })

  it('never throws and gives only string, number or boolean values, whatever the event and context', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.boolean(), (event, context, coldStart) => {
        const attributes = invocationAttributes(event, context, coldStart)
        expect(attributes['faas.coldstart']).toBe(coldStart)
        for (const value of Object.values(attributes)) expect(['string', 'number', 'boolean']).toContain(typeof value)
      }),
    )
  })

  it('takes the account id from a function ARN only when it is one', () => {
    expect(accountOf('arn:aws:lambda:eu-west-1:210987654321:function:f')).toBe('210987654321')
    fc.assert(
      fc.property(fc.string(), (arn) => {
        const account = accountOf(arn)
        if (account !== undefined) expect(account).toMatch(/^\d{12}$/)
      }),
    )
  })

  it('reads a status code only from an integer statusCode', () => {
    expect(statusCodeOf({ statusCode: 204 })).toBe(204)
    expect(statusCodeOf({ statusCode: '204' })).toBeUndefined()
    expect(statusCodeOf('ok')).toBeUndefined()
    expect(statusCodeOf(null)).toBeUndefined()
  })
})

describe('sharedFlush: one flush at a time', () => {
  it('runs a flush asked for during another once after it, for every caller, and never more than one at once', async () => {
    // Prepare
    let running = 0
    let most = 0
    let calls = 0
    const gates: (() => void)[] = []
    const flush = sharedFlush(() => {
      calls++
      most = Math.max(most, ++running)
      return new Promise<void>((resolve) => gates.push(resolve)).finally(() => {
        running--
      })
    })

    // Act
    const first = flush(100)
    const waiting = [flush(100), flush(100), flush(100)]
    gates.shift()?.()
    await first
    await new Promise((resolve) => setImmediate(resolve))
    gates.shift()?.()
    await Promise.all(waiting)

    // Assess
    expect(calls).toBe(2)
    expect(most).toBe(1)
  })

  it('runs the next flush even when the one before failed', async () => {
    // Prepare
    let calls = 0
    let fail = () => {}
    const flush = sharedFlush(() => {
      calls++
      return calls === 1
        ? new Promise<void>((_, reject) => {
            fail = () => reject(new Error('export failed'))
          })
        : Promise.resolve()
    })

    // Act
    const first = flush(100)
    const second = flush(100)
    fail()

    // Assess
    await expect(first).rejects.toThrow('export failed')
    await expect(second).resolves.toBeUndefined()
    expect(calls).toBe(2)
  })
})

describe('namedExports: a dynamically imported module, as Node or a split bundle gives it', () => {
  const exporter = class OTLPTraceExporter {}

  it('takes the namespace when it has the name (Node, or an ES module)', () => {
    const namespace = { OTLPTraceExporter: exporter, default: { other: 1 } }
    expect(namedExports(namespace, 'OTLPTraceExporter')).toBe(namespace)
  })

  it("takes module.exports from `default` when only it has the name (esbuild's split chunk of a CommonJS package)", () => {
    const exports = { OTLPTraceExporter: exporter }
    const namespace = { default: exports } as unknown as typeof exports
    expect(namedExports(namespace, 'OTLPTraceExporter').OTLPTraceExporter).toBe(exporter)
  })

  it.each([
    ['a default without the name', { default: { other: 1 } }],
    ['a default that is not an object', { default: 'text' }],
    ['no default', {}],
  ])('leaves the namespace as it is with %s, so the missing export fails where it is used', (_case, namespace) => {
    expect(namedExports(namespace as { OTLPTraceExporter?: unknown }, 'OTLPTraceExporter')).toBe(namespace)
  })
})
