import { type CommandIo, processIo } from './io.js'

/** `lamina build [dir|handler] [--sdk bundle|external] [--outdir dir]`; resolves with the exit code. */
export async function buildCommand(_args: string[], io: Partial<CommandIo> = {}): Promise<number> {
  const { stderr } = { ...processIo(), ...io }
  stderr.write('lamina build: not yet available.\n')
  return 1
}
