// What the tests that run Powertools for real share: the environment it reads (with a stand-in
// X-Ray daemon), its modules loaded once that environment is set, and its output lines without
// the clock, so two runs compare equal.
import { setLambdaEnvironment, startXRayDaemon, type XRayDaemon } from '@lamina/testing'

export interface PowertoolsEnvironment {
  /** Receives the subsegments the real X-Ray SDK sends. */
  daemon: XRayDaemon
  /** Restores the environment and closes the daemon. */
  stop(): void
}

/**
 * Starts a stand-in X-Ray daemon and sets the Lambda environment Powertools reads: the daemon's
 * address, dev mode off (so lines are one JSON object each), then `overrides` (an `undefined`
 * value removes a variable).
 */
export async function startPowertoolsEnvironment(
  overrides: Record<string, string | undefined> = {},
): Promise<PowertoolsEnvironment> {
  const daemon = await startXRayDaemon()
  const restore = setLambdaEnvironment({ ...daemon.environment, POWERTOOLS_DEV: undefined, ...overrides })
  return {
    daemon,
    stop() {
      restore()
      daemon.close()
    },
  }
}

/** Powertools' Logger, Metrics and Tracer with their Middy middlewares. */
export type Powertools = Pick<typeof import('@aws-lambda-powertools/logger'), 'Logger'> &
  typeof import('@aws-lambda-powertools/logger/middleware') &
  Pick<typeof import('@aws-lambda-powertools/metrics'), 'Metrics' | 'MetricUnit'> &
  typeof import('@aws-lambda-powertools/metrics/middleware') &
  Pick<typeof import('@aws-lambda-powertools/tracer'), 'Tracer'> &
  typeof import('@aws-lambda-powertools/tracer/middleware')

/**
 * Loads Powertools on demand, after the environment is set: the X-Ray SDK reads it when it is
 * first imported.
 */
export async function loadPowertools(): Promise<Powertools> {
  const [{ Logger }, logger, { Metrics, MetricUnit }, metrics, { Tracer }, tracer] = await Promise.all([
    import('@aws-lambda-powertools/logger'),
    import('@aws-lambda-powertools/logger/middleware'),
    import('@aws-lambda-powertools/metrics'),
    import('@aws-lambda-powertools/metrics/middleware'),
    import('@aws-lambda-powertools/tracer'),
    import('@aws-lambda-powertools/tracer/middleware'),
  ])
  return { Logger, Metrics, MetricUnit, Tracer, ...logger, ...metrics, ...tracer }
}

/** A log line or EMF document without what differs between two identical runs: its timestamps. */
export function withoutClock(line: Record<string, any>): Record<string, any> {
  const { timestamp: _, ...rest } = line
  return rest._aws ? { ...rest, _aws: { ...rest._aws, Timestamp: 'removed' } } : rest
}
