/** A problem with what the user asked for: printed as one line, `lamina dev: <what>: <what to do>`. */
export interface DevError extends Error {
  readonly devError: true
}

export function devError(what: string, todo: string): DevError {
  return Object.assign(new Error(`${what}: ${todo}`), { devError: true as const })
}

export const isDevError = (error: unknown): error is DevError =>
  typeof error === 'object' && error !== null && (error as { devError?: unknown }).devError === true
