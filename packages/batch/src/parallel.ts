import { isThenable, type RecordRun } from './record-run.js'

/**
 * Starts every record at once, in order, as Powertools' `BatchProcessor` does, and settles when
 * all have: with what each failed record failed with, by index. A record whose callback returns
 * synchronously is counted on the spot: no promise, no `Promise.all` slot, no per-record reads
 * of the processor's state (each of which reads an environment variable in Powertools 2.35).
 */
export function runAll(
  records: readonly unknown[],
  run: RecordRun,
): Map<number, unknown> | Promise<Map<number, unknown>> {
  const failed = new Map<number, unknown>()
  // What handle() threw is the logged error, or a wrapper of it: the record's own error is in run.failures.
  const failWith = (index: number, thrown: unknown) =>
    void failed.set(index, run.failures.has(index) ? run.failures.get(index) : thrown)
  let pending: PromiseLike<unknown>[] | undefined
  for (let index = 0; index < records.length; index++) {
    try {
      const result = run.handle(records[index], index)
      if (isThenable(result)) {
        pending ??= []
        pending.push(Promise.resolve(result).then(undefined, (error: unknown) => failWith(index, error)))
      }
    } catch (error) {
      failWith(index, error)
    }
  }
  return pending === undefined ? failed : Promise.all(pending).then(() => failed)
}
