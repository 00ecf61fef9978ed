import type { Readable, Writable } from 'node:stream'

/** Where a command reads and writes (the process's own streams by default; tests pass their own). */
export interface CommandIo {
  stdout: Writable & { isTTY?: boolean }
  stderr: Writable & { isTTY?: boolean }
  stdin: Readable
  /** The folder paths are relative to. Default: `process.cwd()`. */
  cwd: string
}

export const processIo = (): CommandIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
})
