import type { BatchLogger } from '@lamina/batch'

export interface LoggedLine {
  level: 'warn' | 'error'
  message: string
  fields: Record<string, any>
}

/** A logger that keeps what batch() writes, for assertions. */
export function collectingLogger(): BatchLogger & { lines: LoggedLine[] } {
  const lines: LoggedLine[] = []
  return {
    lines,
    warn: (message, fields) => void lines.push({ level: 'warn', message, fields: fields as Record<string, any> }),
    error: (message, fields) => void lines.push({ level: 'error', message, fields: fields as Record<string, any> }),
  }
}

/** The failed ids of a batch response, sorted (parallel records fail in completion order). */
export const failedIds = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
  response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()

/** A promise and the functions that settle it: the test decides when a record finishes. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}
