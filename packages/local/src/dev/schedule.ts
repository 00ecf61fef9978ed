// EventBridge schedule expressions, as intervals for `lamina dev --schedule`.
import { devError } from './errors.js'

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** `rate(5 minutes)` in milliseconds; `undefined` for `cron(…)`, which has no fixed interval. */
export function rateMs(expression: string): number | undefined {
  const match = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim())
  if (!match) return undefined
  return Number(match[1]) * (units[(match[2] as string)[0] as string] as number)
}

/** `--schedule-every 10s`: `500ms`, `10s`, `2m`, `1h`. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim())
  if (!match || Number(match[1]) <= 0) {
    throw devError(`--schedule-every "${text}" is not a duration`, 'write it like 500ms, 10s, 2m or 1h')
  }
  return Number(match[1]) * (units[match[2] as string] as number)
}
