/** Follows a promise without awaiting it, so a test can check whether it has settled yet. */
export interface Tracked<T> {
  settled: boolean
  value: T | undefined
  error: unknown
  done: Promise<void>
}

export function track<T>(promise: Promise<T>): Tracked<T> {
  const tracked: Tracked<T> = { settled: false, value: undefined, error: undefined, done: Promise.resolve() }
  tracked.done = promise.then(
    (value) => {
      tracked.settled = true
      tracked.value = value
    },
    (error: unknown) => {
      tracked.settled = true
      tracked.error = error
    },
  )
  return tracked
}

/** A promise that never settles: work that hangs. */
export const never = <T = never>() => new Promise<T>(() => undefined)

/** A promise that resolves (or rejects) after `ms` of (fake) time. */
export const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms))
export const failAfter = (ms: number, error: Error) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(error), ms))
