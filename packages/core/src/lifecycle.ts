import { print } from './report.js'
import { isThenable } from './thenable.js'
import type { LifecycleHooks, Phase, Request } from './types.js'

type AnyHook = (...args: unknown[]) => unknown
type Hook = (request: Request) => unknown

/**
 * Lifecycle hooks observe; they never decide. Each given hook is wrapped once, at `wrap()`, so a
 * hook that throws, or returns a promise that rejects, is reported like a failed cleanup (to
 * `cleanupError`, else `console.error`) and neither changes the invocation's result or error nor
 * leaves an unhandled rejection.
 */
export function shieldHooks(hooks: LifecycleHooks): LifecycleHooks {
  const shielded: Record<string, AnyHook> = {}
  for (const key in hooks) {
    const hook = hooks[key as keyof LifecycleHooks] as AnyHook
    shielded[key] = (...args) => {
      const fail = (failure: unknown) => {
        // cleanupError is the reporter itself: when it fails, print what it was given too.
        if (key === 'cleanupError') print(args[0], `middleware "${args[1]}"`)
        else if (shielded.cleanupError) return shielded.cleanupError(failure, `hooks.${key}`, args.at(-1))
        print(failure, `lifecycle hook ${key}`)
      }
      try {
        // A rejection is caught the same way; a sync hook still runs (and ends) synchronously.
        Promise.resolve(hook(...args)).catch(fail)
      } catch (failure) {
        fail(failure)
      }
    }
  }
  return shielded as LifecycleHooks
}

/**
 * A middleware hook that reports its start and end to `hookStart`/`hookEnd` (shielded). Wrapped
 * once when the middleware is added, so a chain without lifecycle hooks calls its hooks bare.
 */
export function observe(hooks: LifecycleHooks, phase: Phase, name: string, hook: Hook): Hook {
  return (request) => {
    hooks.hookStart?.(phase, name, request)
    const result = hook(request)
    const done = () => hooks.hookEnd?.(phase, name, request)
    if (!isThenable(result)) {
      done()
      return result
    }
    return Promise.resolve(result).finally(done)
  }
}
