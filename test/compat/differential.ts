// Differential harness: the same middlewares, handler and event run through @middy/core and
// through Lamina's wrap(); the test then compares what each engine answered. Everything that
// could carry state (middleware instances, the event, the context, the trace) is made fresh
// for each engine, so neither run can influence the other.
import { type AnyMiddleware, wrap } from '@lamina/core'
import { createContext, recorder as recordHooks } from '@lamina/testing'
import middy, { type MiddlewareObj } from '@middy/core'
import type { Context } from 'aws-lambda'

/** What an invocation ended with, reduced to what a caller of the Lambda can observe. */
export type Outcome = { resolved: unknown } | { rejected: ErrorShape }

export interface ErrorShape {
  name: unknown
  message: unknown
  statusCode: unknown
  expose: unknown
  cause: unknown
}

/** One engine's run: its outcome, and the steps the middlewares and handler recorded. */
export interface EngineRun {
  outcome: Outcome
  trace: string[]
}

/**
 * A Middy, Powertools or Lamina middleware object, typed as Lamina's `.use()` takes it: the
 * compat tests pass Middy's and Powertools' own objects here, so they also prove the types fit.
 */
export type CompatMiddleware = AnyMiddleware

export interface DifferentialCase<TEvent> {
  /** Called once per engine, so each gets its own middleware instances. `trace` is per engine too. */
  middlewares: (trace: string[]) => CompatMiddleware[]
  handler: (trace: string[]) => (event: TEvent, context: Context) => unknown
  /** Called once per engine: middlewares mutate events (a body parser replaces `body`). */
  event: () => TEvent
  /** Defaults to a fresh createContext() (3 s deadline) per engine; may return undefined on purpose. */
  context?: () => Context
}

export interface DifferentialResult {
  middy: EngineRun
  lamina: EngineRun
}

type MiddyHandler = (event: unknown, context: Context) => unknown
type MiddyMiddleware = MiddlewareObj<unknown, unknown, Error, Context>

const maxCauseDepth = 4

/** Plain data for an error: the fields error handlers and Lambda's error serialiser read. */
export function describeError(error: unknown, depth = 0): ErrorShape | unknown {
  if (typeof error !== 'object' || error === null) return error
  const fields = error as Record<string, unknown>
  return {
    name: fields.name,
    message: fields.message,
    statusCode: fields.statusCode,
    expose: fields.expose,
    cause: depth < maxCauseDepth ? describeCause(fields.cause, depth + 1) : '[deep]',
  }
}

function describeCause(cause: unknown, depth: number): unknown {
  if (cause instanceof Error) return describeError(cause, depth)
  // Middy's own causes are plain `{ package, data }` objects: compare them as data.
  return cause
}

async function settle(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { resolved: await run() }
  } catch (error) {
    return { rejected: describeError(error) as ErrorShape }
  }
}

/** Runs the case through @middy/core (default options, as users deploy it). */
export async function runMiddy<TEvent>(testCase: DifferentialCase<TEvent>): Promise<EngineRun> {
  const trace: string[] = []
  const handler = middy(testCase.handler(trace) as MiddyHandler).use(testCase.middlewares(trace) as MiddyMiddleware[])
  const context = testCase.context ? testCase.context() : createContext()
  const outcome = await settle(() => handler(testCase.event(), context))
  return { outcome, trace }
}

/** Runs the case through Lamina's wrap(). */
export async function runLamina<TEvent>(testCase: DifferentialCase<TEvent>): Promise<EngineRun> {
  const trace: string[] = []
  const handler = wrap(testCase.handler(trace)).use(testCase.middlewares(trace))
  const context = testCase.context ? testCase.context() : createContext()
  const outcome = await settle(() => handler(testCase.event(), context))
  return { outcome, trace }
}

/** Middy first, then Lamina, one after the other (never interleaved: some middlewares log). */
export async function runBoth<TEvent>(testCase: DifferentialCase<TEvent>): Promise<DifferentialResult> {
  const middyRun = await runMiddy(testCase)
  const laminaRun = await runLamina(testCase)
  return { middy: middyRun, lamina: laminaRun }
}

/** A middleware that records each hook it runs, for comparing the order of calls (Middy has no cleanup). */
export const recorder = (label: string, trace: string[]): CompatMiddleware =>
  recordHooks(label, trace, {}, { phases: ['before', 'after', 'onError'] })
