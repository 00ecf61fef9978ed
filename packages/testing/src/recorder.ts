import type { Middleware, Request } from '@lamina/core'

export type RecordedPhase = 'before' | 'after' | 'onError' | 'cleanup'

export interface RecorderOptions {
  /**
   * The hooks the middleware has, default all four. A test that runs the same middlewares under
   * `@middy/core` leaves `cleanup` out: Middy has no such hook, so it would record only under Lamina.
   */
  phases?: readonly RecordedPhase[]
  /**
   * Also record how the invocation stands: `onError:<error name>`, and `cleanup:ok` or
   * `cleanup:<error name>`. Default false: just `name.phase`.
   */
  outcome?: boolean
}

const allPhases: readonly RecordedPhase[] = ['before', 'after', 'onError', 'cleanup']

const errorName = (error: unknown) => (error instanceof Error ? error.name : String(error))

function entry(name: string, phase: RecordedPhase, request: Request, outcome: boolean): string {
  if (!outcome) return `${name}.${phase}`
  if (phase === 'onError') return `${name}.onError:${errorName(request.error)}`
  if (phase === 'cleanup') return `${name}.cleanup:${request.error === undefined ? 'ok' : errorName(request.error)}`
  return `${name}.${phase}`
}

/**
 * A middleware that writes each hook it runs into a shared `log` as `name.phase`, for tests of
 * the order hooks run in; `behaviour` gives a hook something to do after it is recorded (its
 * return value is the hook's: `() => 'early'` answers early from `before`).
 */
export function recorder(
  name: string,
  log: string[],
  behaviour: Partial<Record<RecordedPhase, (request: Request) => unknown>> = {},
  options: RecorderOptions = {},
): Middleware {
  const { phases = allPhases, outcome = false } = options
  const middleware: Middleware = { name }
  for (const phase of phases) {
    middleware[phase] = (request: Request) => {
      log.push(entry(name, phase, request, outcome))
      return behaviour[phase]?.(request)
    }
  }
  return middleware
}
