import { describe, expect, it } from 'vitest'
import { noopTracer } from '../src/otel/noop-tracer.js'

describe('context.tracer while tracing is off', () => {
  it('starts spans that record nothing and runs startActiveSpan’s callback in each of its forms', () => {
    // Prepare
    const span = noopTracer.startSpan('anything')

    // Act
    const chained = span
      .setAttribute('a', 1)
      .setAttributes({ b: 2 })
      .addEvent('e')
      .addLink({ context: span.spanContext() })
      .addLinks([])
      .setStatus({ code: 2 })
      .updateName('renamed')
    span.recordException(new Error('x'))
    span.end()

    // Assess
    expect(chained).toBe(span)
    expect(span.isRecording()).toBe(false)
    expect(span.spanContext().traceFlags).toBe(0)
    expect(noopTracer.startActiveSpan('a', (active) => active.isRecording())).toBe(false)
    expect(noopTracer.startActiveSpan('b', {}, () => 'two')).toBe('two')
    expect(noopTracer.startActiveSpan('c', {}, undefined as never, () => 'three')).toBe('three')
  })
})

describe('InvocationContextManager', () => {
  it('answers the root context outside any flow, and enable/disable leave it usable as OpenTelemetry expects', async () => {
    // Prepare
    const { ROOT_CONTEXT, createContextKey } = await import('@opentelemetry/api')
    const { InvocationContextManager } = await import('../src/otel/context-manager.js')
    const manager = new InvocationContextManager()
    manager.setRoot(ROOT_CONTEXT)
    const key = createContextKey('k')

    // Act
    const inside = manager.with(
      ROOT_CONTEXT.setValue(key, 'v'),
      (suffix: string) => `${manager.active().getValue(key)}${suffix}`,
      undefined,
      '!',
    )

    // Assess
    expect(manager.enable()).toBe(manager)
    expect(inside).toBe('v!')
    expect(manager.active()).toBe(ROOT_CONTEXT)
    expect(manager.disable()).toBe(manager)
  })
})
