/** The body Lambda's runtime posts for a failed invocation or init. */
export interface ErrorBody {
  errorType: string
  errorMessage: string
  trace: string[]
}

/** Formats any thrown value as Lambda's Node runtime does, never throwing itself. */
export function formatError(error: unknown): ErrorBody {
  try {
    if (error instanceof Error) {
      return {
        errorType: String(error.name),
        errorMessage: String(error.message),
        trace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
      }
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] }
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'The function threw a value whose name, message or stack could not be read.',
      trace: [],
    }
  }
}
