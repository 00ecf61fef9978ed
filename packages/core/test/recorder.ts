import type { Middleware, Request } from '@lamina/core'

/** A middleware that records each hook it runs into a shared log, under its own name. */
export function recorder(
  name: string,
  log: string[],
  behaviour: Partial<Record<'before' | 'after' | 'onError' | 'cleanup', (request: Request) => unknown>> = {},
): Middleware {
  const hook = (phase: 'before' | 'after' | 'onError' | 'cleanup') => (request: Request) => {
    log.push(`${name}.${phase}`)
    return behaviour[phase]?.(request)
  }
  return { name, before: hook('before'), after: hook('after'), onError: hook('onError'), cleanup: hook('cleanup') }
}
