import { print } from './report.js'
import { isThenable } from './thenable.js'
import type { LifecycleHooks, Phase, PreparedHooks, Request } from './types.js'

type AnyHook = (...args: unknown[]) => unknown
type Hook = (request: Request) => unknown

const hookNames = [
  'invocationStart',
  'invocationEnd',
  'hookStart',
  'hookEnd',
  'handlerStart',
  'handlerEnd',
  'cleanupError',
] as const

const ignore = () => undefined

/**
 * Prepares lifecycle hooks for `wrap(handler, { hooks })` and for the process-wide
 * `globalThis[Symbol.for('lamina.hooks')]`. Kept out of the engine (a separate export, so a bundle
 * without hooks does not carry it): the engine only calls the prepared object's methods.
 *
 * Lifecycle hooks observe; they never decide. Each given hook is wrapped once, here, so a hook
 * that throws, or returns a promise that rejects, is reported like a failed cleanup (to
 * `cleanupError`, else `console.error`, secrets masked) and neither changes the invocation's
 * result or error nor leaves an unhandled rejection.
 *
 * The result is a protocol between copies of core (a tool sets the global from its copy, the
 * function's bundle has another): plain methods, every one present but `cleanupError`, which is
 * there only when given (else the engine prints the failure itself).
 */
export function lifecycleHooks(hooks: LifecycleHooks): PreparedHooks {
  if (Object(hooks) !== hooks) throw new TypeError('lifecycleHooks() takes an object of hook functions.')
  const prepared: Record<string, unknown> = {}
  for (const key of hookNames) {
    const hook = hooks[key] as AnyHook | undefined
    if (hook === undefined) {
      prepared[key] = key === 'cleanupError' ? undefined : ignore
      continue
    }
    if (typeof hook !== 'function') {
      throw new TypeError(`lifecycleHooks(): ${key} is ${typeof hook}; pass a function or leave it out.`)
    }
    prepared[key] = (...args: unknown[]) => {
      const fail = (failure: unknown) => {
        // cleanupError is the reporter itself: when it fails, print what it was given too.
        if (key === 'cleanupError') print(args[0], `middleware "${args[1]}"`)
        else if (prepared.cleanupError) return (prepared.cleanupError as AnyHook)(failure, `hooks.${key}`, args.at(-1))
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
  // Both are set above whenever observe uses them (a missing one became `ignore`).
  const { hookStart, hookEnd } = prepared as {
    hookStart: NonNullable<LifecycleHooks['hookStart']>
    hookEnd: NonNullable<LifecycleHooks['hookEnd']>
  }
  // Without hookStart and hookEnd, a middleware's hooks are left as they are: nothing to time.
  prepared.observe =
    hooks.hookStart === undefined && hooks.hookEnd === undefined
      ? (_phase: Phase, _name: string, hook: Hook) => hook
      : (phase: Phase, name: string, hook: Hook): Hook => observe(hookStart, hookEnd, phase, name, hook)
  return prepared as unknown as PreparedHooks
}

/**
 * A middleware hook that reports its start and end to `hookStart`/`hookEnd` (shielded). Wrapped
 * once when the middleware is added, so a chain without lifecycle hooks calls its hooks bare.
 */
function observe(
  hookStart: NonNullable<LifecycleHooks['hookStart']>,
  hookEnd: NonNullable<LifecycleHooks['hookEnd']>,
  phase: Phase,
  name: string,
  hook: Hook,
): Hook {
  return (request) => {
    hookStart(phase, name, request)
    const result = hook(request)
    const done = () => hookEnd(phase, name, request)
    if (!isThenable(result)) {
      done()
      return result
    }
    return Promise.resolve(result).finally(done)
  }
}
