import { type AnyMiddleware, wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { createContext } from '@lamina/testing'

export interface Echoed {
  statusCode: number
  headers?: Record<string, string>
  body: string
}

/**
 * A function with errorMapper first and `middleware` after it, whose handler echoes the
 * event it was given (as the handler saw it) in a 200 body.
 */
export function echoFunction(middleware: AnyMiddleware) {
  const seen: unknown[] = []
  const handler = wrap<unknown>()
    .use(errorMapper())
    .use(middleware)
    .handler(async (event) => {
      seen.push(event)
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) }
    })
  const call = (event: unknown) => handler(event, createContext()) as Promise<Echoed>
  return { call, seen }
}

/** Parses a mapped error response's JSON body. */
export const bodyOf = (response: Echoed) =>
  JSON.parse(response.body) as {
    message: string
    requestId?: string
    issues?: { path: (string | number)[]; message: string }[]
  }
