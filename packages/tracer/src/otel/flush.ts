/**
 * One flush at a time, shared: a flush asked for while one is running waits for it and then runs
 * once more for everyone who asked meanwhile (their spans may have ended after the running one
 * took its batch). With many invocations ending together (Managed Instances), each flush would
 * otherwise start its own export, and OTLP exporters refuse exports past a small concurrent limit:
 * the spans of the refused ones would be lost.
 */
export function sharedFlush(flush: (timeoutMs: number) => Promise<void>): (timeoutMs: number) => Promise<void> {
  let running: Promise<void> | undefined
  let next: Promise<void> | undefined
  const start = (timeoutMs: number): Promise<void> => {
    const current = flush(timeoutMs).finally(() => {
      running = undefined
    })
    running = current
    return current
  }
  return (timeoutMs) => {
    if (running === undefined) return start(timeoutMs)
    next ??= running
      .catch(() => {})
      .then(() => {
        next = undefined
        return start(timeoutMs)
      })
    return next
  }
}
