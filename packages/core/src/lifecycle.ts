import { print } from './report.js'
import { isThenable } from './thenable.js'
import type { LifecycleHooks } from './types.js'

type AnyHook = (...args: unknown[]) => unknown

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
        if (key === 'cleanupError' || !shielded.cleanupError) print(failure, `lifecycle hook ${key}`)
        else shielded.cleanupError(failure, `hooks.${key}`, args.at(-1))
      }
      try {
        const result = hook(...args)
        if (isThenable(result)) result.then(undefined, fail)
      } catch (failure) {
        fail(failure)
      }
    }
  }
  return shielded as LifecycleHooks
}
