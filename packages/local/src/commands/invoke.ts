import { type CommandIo, processIo } from './io.js'

/** `lamina invoke <handler> --event <file|-> [--timeout s] [--env-file f]`; resolves with the exit code. */
export async function invokeCommand(_args: string[], io: Partial<CommandIo> = {}): Promise<number> {
  const { stderr } = { ...processIo(), ...io }
  stderr.write('lamina invoke: not yet available.\n')
  return 1
}
