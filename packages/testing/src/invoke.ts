import type { Context } from 'aws-lambda'
import { type ContextOptions, createContext } from './context.js'

export interface InvokeOptions extends ContextOptions {
  /** Use this context as it is instead of creating one. */
  context?: Context
}

/** Calls a Lambda handler the way the runtime does: (event, context), awaiting the result. */
export async function invoke<TEvent, TResult>(
  handler: (event: TEvent, context: Context) => TResult | Promise<TResult>,
  event: TEvent,
  options: InvokeOptions = {},
): Promise<TResult> {
  const { context, ...contextOptions } = options
  return handler(event, context ?? createContext(contextOptions))
}
