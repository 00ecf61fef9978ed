import { wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

// Random middleware stacks run through wrap() must match a small reference model of the rules.
type Action = 'none' | 'noop' | 'return' | 'throw' | 'set'
interface HookSpec {
  action: Action
  async: boolean
}
interface MiddlewareSpec {
  before: HookSpec
  after: HookSpec
  onError: HookSpec
  cleanup: boolean
}
interface StackSpec {
  middlewares: MiddlewareSpec[]
  handler: { throws: boolean; async: boolean }
}

const hookSpec = (actions: Action[]) => fc.record({ action: fc.constantFrom(...actions), async: fc.boolean() })
const stackSpec: fc.Arbitrary<StackSpec> = fc.record({
  middlewares: fc.array(
    fc.record({
      before: hookSpec(['none', 'noop', 'noop', 'return', 'throw']),
      after: hookSpec(['none', 'noop', 'noop', 'return', 'throw']),
      onError: hookSpec(['none', 'noop', 'return', 'throw', 'set']),
      cleanup: fc.boolean(),
    }),
    { maxLength: 6 },
  ),
  handler: fc.record({ throws: fc.boolean(), async: fc.boolean() }),
})

type Outcome = { log: string[]; resolved?: unknown; rejected?: { message: string; cause?: string } }

/** The engine rules (packages/core/README.md, "Rules"), written as plainly as possible. */
function model(stack: StackSpec): Outcome {
  const log: string[] = []
  let response: unknown
  let reached = 0
  let outcome: Outcome | undefined
  const fail = (message: string) => ({ message })
  try {
    let early = false
    for (const [i, mw] of stack.middlewares.entries()) {
      reached = i + 1
      if (mw.before.action === 'none') continue
      log.push(`before${i}`)
      if (mw.before.action === 'throw') throw fail(`before${i}`)
      if (mw.before.action === 'return') {
        response = `before${i}`
        early = true
        break
      }
    }
    if (!early) {
      log.push('handler')
      if (stack.handler.throws) throw fail('handler')
      response = 'handler'
      for (let i = stack.middlewares.length - 1; i >= 0; i--) {
        const after = (stack.middlewares[i] as MiddlewareSpec).after
        if (after.action === 'none') continue
        log.push(`after${i}`)
        if (after.action === 'throw') throw fail(`after${i}`)
        if (after.action === 'return') {
          response = `after${i}`
          break
        }
      }
    }
    outcome = { log, resolved: response }
  } catch (error) {
    response = undefined
    // The error being handled: a throwing onError replaces it (keeping it as cause) and clears
    // the response, and the remaining onError hooks still run.
    let current: { message: string; cause?: string } = { message: (error as { message: string }).message }
    for (let i = stack.middlewares.length - 1; i >= 0; i--) {
      const onError = (stack.middlewares[i] as MiddlewareSpec).onError
      if (onError.action === 'none') continue
      log.push(`onError${i}`)
      if (onError.action === 'throw') {
        current = { message: `onError${i}`, cause: current.message }
        response = undefined
      } else if (onError.action === 'set') response = `onError${i}`
      else if (onError.action === 'return') {
        response = `onError${i}`
        break
      }
    }
    outcome = response === undefined ? { log, rejected: current } : { log, resolved: response }
  }
  for (let i = reached - 1; i >= 0; i--) if ((stack.middlewares[i] as MiddlewareSpec).cleanup) log.push(`cleanup${i}`)
  return outcome
}

/** The same stack, built for the engine. */
async function engine(stack: StackSpec): Promise<Outcome> {
  const log: string[] = []
  const settle = (spec: { async: boolean }, produce: () => unknown) => {
    if (!spec.async) return produce()
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        try {
          resolve(produce())
        } catch (error) {
          reject(error)
        }
      })
    })
  }
  const hook = (phase: string, i: number, spec: HookSpec) => {
    if (spec.action === 'none') return undefined
    return (request: { response: unknown }) =>
      settle(spec, () => {
        log.push(`${phase}${i}`)
        if (spec.action === 'throw') throw new Error(`${phase}${i}`)
        if (spec.action === 'return') return `${phase}${i}`
        if (spec.action === 'set') request.response = `${phase}${i}`
        return undefined
      })
  }
  const handler = wrap(() =>
    settle(stack.handler, () => {
      log.push('handler')
      if (stack.handler.throws) throw new Error('handler')
      return 'handler'
    }),
  )
  for (const [i, mw] of stack.middlewares.entries()) {
    const middleware = {
      before: hook('before', i, mw.before),
      after: hook('after', i, mw.after),
      onError: hook('onError', i, mw.onError),
      cleanup: mw.cleanup ? () => void log.push(`cleanup${i}`) : undefined,
    }
    // A middleware with no hooks at all is refused by design; give it a no-op cleanup-free after.
    if (!middleware.before && !middleware.after && !middleware.onError && !middleware.cleanup) continue
    handler.use(middleware)
  }
  try {
    return { log, resolved: await handler({}, createContext()) }
  } catch (error) {
    const { message, cause } = error as Error
    return { log, rejected: cause === undefined ? { message } : { message, cause: (cause as Error).message } }
  }
}

/** Stacks where every middleware has at least one hook (the engine refuses empty ones). */
const validStack = stackSpec.map((stack) => ({
  ...stack,
  middlewares: stack.middlewares.filter(
    (mw) => mw.cleanup || mw.before.action !== 'none' || mw.after.action !== 'none' || mw.onError.action !== 'none',
  ),
}))

describe('engine against the reference model', () => {
  test('random stacks of sync/async hooks that return, throw or set the response', async () => {
    await fc.assert(
      fc.asyncProperty(validStack, async (stack) => {
        expect(await engine(stack)).toEqual(model(stack))
      }),
      { numRuns: 1500 },
    )
  })
})
