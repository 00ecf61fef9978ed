// How `lamina invoke` shows a result in a terminal: status line, response, logs, and the time in
// each middleware as bars.
import { inspect } from 'node:util'
import type { InvocationResult, MiddlewareTiming } from '../runtime/types.js'

export interface Style {
  bold(text: string): string
  dim(text: string): string
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`
export const colors: Style = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  red: ansi(31, 39),
  green: ansi(32, 39),
  yellow: ansi(33, 39),
}
const identity = (text: string) => text
export const plain: Style = { bold: identity, dim: identity, red: identity, green: identity, yellow: identity }

export const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`

const levelStyle = (style: Style, level: string) =>
  /error|critical|fatal/i.test(level) ? style.red : /warn/i.test(level) ? style.yellow : style.dim

/** A Powertools JSON line as `LEVEL message key=value`, anything else as it is. */
export function formatLogLine(line: string, style: Style): string {
  if (!line.startsWith('{')) return line
  try {
    const record = JSON.parse(line) as Record<string, unknown>
    if (typeof record.message !== 'string' || typeof record.level !== 'string') return line
    const { level, message, timestamp: _t, ...rest } = record
    const keys = Object.entries(rest)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ')
    return `${levelStyle(style, level)(level.padEnd(5))} ${message}${keys === '' ? '' : ` ${style.dim(keys)}`}`
  } catch {
    return line
  }
}

/** One row per hook, in start order, with a bar placed on the invocation's timeline. */
export function formatTimings(timings: MiddlewareTiming[], durationMs: number, style: Style): string[] {
  if (timings.length === 0) return []
  const sorted = [...timings].sort((a, b) => a.startMs - b.startMs)
  const width = 30
  const span = Math.max(durationMs, ...sorted.map((timing) => timing.endMs), 0.001)
  const nameWidth = Math.max(...sorted.map((timing) => timing.middleware.length), 7)
  const rows = sorted.map((timing) => {
    const from = Math.min(width - 1, Math.floor((timing.startMs / span) * width))
    const length = Math.max(1, Math.round(((timing.endMs - timing.startMs) / span) * width))
    const bar = `${' '.repeat(from)}${'█'.repeat(Math.min(length, width - from))}`.padEnd(width)
    return `  ${timing.phase.padEnd(8)} ${timing.middleware.padEnd(nameWidth)} ${ms(timing.endMs - timing.startMs).padStart(9)}  ${style.dim('│')}${bar}${style.dim('│')}`
  })
  const measured = sorted.reduce((total, timing) => total + (timing.endMs - timing.startMs), 0)
  rows.push(
    // What no hook measured: the engine between hooks, the runtime, JSON and the Runtime API.
    `  ${style.dim(`${'rest'.padEnd(8)} ${''.padEnd(nameWidth)} ${ms(Math.max(0, durationMs - measured)).padStart(9)}  runtime, engine, serialisation`)}`,
  )
  return rows
}

export function formatResult(handler: string, result: InvocationResult, style: Style): string {
  const lines: string[] = []
  const status = result.timedOut
    ? style.red('✗ timed out')
    : result.error
      ? style.red(`✗ ${result.error.errorType}`)
      : style.green('✓ ok')
  lines.push(
    `${status}  ${style.bold(handler)}  ${ms(result.durationMs)}  ${result.cold ? 'cold' : 'warm'}  ${style.dim(result.requestId)}`,
  )
  if (result.error) {
    lines.push('', style.bold('Error'), `  ${result.error.errorType}: ${result.error.errorMessage}`)
    for (const frame of (result.error.stackTrace ?? []).slice(1)) lines.push(style.dim(`  ${frame.trim()}`))
  }
  if (result.response !== undefined || result.streamed) {
    lines.push('', style.bold(result.streamed ? 'Response (streamed)' : 'Response'))
    if (result.prelude) lines.push(`  ${style.dim(inspect(result.prelude, { depth: 4, breakLength: 100 }))}`)
    const shown =
      typeof result.response === 'string'
        ? result.response
        : inspect(result.response, { depth: 8, colors: style === colors, breakLength: 100 })
    for (const line of shown.split('\n')) lines.push(`  ${line}`)
  }
  if (result.logs.length > 0) {
    lines.push('', style.bold('Logs'))
    for (const line of result.logs) lines.push(`  ${formatLogLine(line, style)}`)
  }
  const timings = formatTimings(result.timings, result.durationMs, style)
  if (timings.length > 0) lines.push('', style.bold('Duration by middleware'), ...timings)
  return `${lines.join('\n')}\n`
}
