/** A thenable, as Promises/A+ and `await` define it: any value (object or function) with a `then` method. */
export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null | undefined)?.then === 'function'
