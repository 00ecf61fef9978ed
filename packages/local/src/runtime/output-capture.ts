// Collects what the function writes to stdout and stderr during each invocation (and still writes
// it through), attributing each write to the invocation whose async context made it.
import { AsyncLocalStorage } from 'node:async_hooks'

type Write = typeof process.stdout.write

export class OutputCapture {
  readonly #current = new AsyncLocalStorage<string>()
  readonly #buffers = new Map<string, string[]>()
  readonly #restore: (() => void)[] = []

  install() {
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write
      const capture = this
      stream.write = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
        capture.#record(chunk)
        return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest)
      } as Write
      this.#restore.push(() => {
        stream.write = original
      })
    }
  }

  uninstall() {
    for (const restore of this.#restore.splice(0)) restore()
  }

  #record(chunk: unknown) {
    const id = this.#current.getStore()
    const buffer = id === undefined ? undefined : this.#buffers.get(id)
    if (buffer === undefined) return
    buffer.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'))
  }

  run<T>(requestId: string, fn: () => T): T {
    this.#buffers.set(requestId, [])
    return this.#current.run(requestId, fn)
  }

  /** The invocation's lines so far; forgets them. */
  take(requestId: string): string[] {
    const text = (this.#buffers.get(requestId) ?? []).join('')
    this.#buffers.delete(requestId)
    const lines = text.split('\n')
    if (lines.at(-1) === '') lines.pop()
    return lines
  }
}
