// How `lamina invoke` shows a result in a terminal.
import { describe, expect, it } from 'vitest'
import { colors, formatLogLine, formatResult, formatTimings, plain } from '../../src/commands/format.js'

describe('invoke output', () => {
  it('shows Powertools JSON lines as level, message and keys, and anything else as it is', () => {
    const line = JSON.stringify({ level: 'WARN', message: 'slow', timestamp: 't', order: 7, tags: ['a'] })
    expect(formatLogLine(line, plain)).toBe('WARN  slow order=7 tags=["a"]')
    expect(formatLogLine(JSON.stringify({ level: 'ERROR', message: 'bad' }), colors)).toContain(
      '\u001b[31mERROR\u001b[39m bad',
    )
    expect(formatLogLine(JSON.stringify({ level: 'INFO', message: 'ok' }), colors)).toContain('INFO ')
    expect(formatLogLine('{"not":"a log record"}', plain)).toBe('{"not":"a log record"}')
    expect(formatLogLine('{broken', plain)).toBe('{broken')
    expect(formatLogLine('plain text', plain)).toBe('plain text')
  })

  it('shows a streamed, failed or timed-out result with what the user needs', () => {
    const base = { requestId: 'id', cold: false, phase: 'invoke' as const, durationMs: 12.345, logs: [], timings: [] }
    const streamed = formatResult(
      'h.handler',
      { ...base, timedOut: false, streamed: true, response: 'body', prelude: { statusCode: 201 } },
      plain,
    )
    expect(streamed).toBe('✓ ok  h.handler  12.3 ms  warm  id\n\nResponse (streamed)\n  { statusCode: 201 }\n  body\n')
    const timedOut = formatResult(
      'h.handler',
      {
        ...base,
        timedOut: true,
        error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' },
      },
      plain,
    )
    expect(timedOut).toBe(
      '✗ timed out  h.handler  12.3 ms  warm  id\n\nError\n  Sandbox.Timedout: Task timed out after 1.00 seconds\n',
    )
  })

  it('places each hook on the invocation timeline, and shows nothing without timings', () => {
    const rows = formatTimings(
      [
        { phase: 'handler', middleware: 'handler', startMs: 5, endMs: 10 },
        { phase: 'before', middleware: 'auth', startMs: 0, endMs: 5 },
      ],
      10,
      plain,
    )
    expect(rows).toEqual([
      `  before   auth      5.00 ms  │${'█'.repeat(15)}${' '.repeat(15)}│`,
      `  handler  handler   5.00 ms  │${' '.repeat(15)}${'█'.repeat(15)}│`,
      '  rest               0.00 ms  runtime, engine, serialisation',
    ])
    expect(formatTimings([], 10, plain)).toEqual([])
  })
})
