/**
 * Captures what really reaches the process's stdout and stderr: Powertools writes each log line
 * and EMF document there through its own Console, which looks the stream's `write` up on every
 * call, so replacing `write` sees everything without mocking the logger.
 */
export interface CapturedOutput {
  /** Every line written so far, stdout and stderr interleaved in order. */
  readonly lines: string[]
  /** The lines that parse as JSON objects. */
  records(): Record<string, any>[]
  /** Everything written, as one string (for "this value never appears" checks). */
  text(): string
  restore(): void
}

type Write = typeof process.stdout.write

export function captureOutput(): CapturedOutput {
  const lines: string[] = []
  let pending = ''
  const record = (chunk: unknown) => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')
    const parts = pending.split('\n')
    pending = parts.pop() as string
    lines.push(...parts)
  }
  const streams = [process.stdout, process.stderr]
  const originals = streams.map((stream) => stream.write)
  for (const stream of streams) {
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      record(chunk)
      const callback = rest.find((item) => typeof item === 'function') as (() => void) | undefined
      callback?.()
      return true
    }) as Write
  }
  return {
    lines,
    records() {
      const parsed: Record<string, any>[] = []
      for (const line of pending === '' ? lines : [...lines, pending]) {
        try {
          const value = JSON.parse(line)
          if (typeof value === 'object' && value !== null) parsed.push(value)
        } catch {
          // Not a JSON line (a plain console message): not one of ours.
        }
      }
      return parsed
    },
    text: () => lines.join('\n') + pending,
    restore() {
      streams.forEach((stream, index) => {
        stream.write = originals[index] as Write
      })
    },
  }
}

/** Lets other work run, so overlapping invocations really interleave. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve))
