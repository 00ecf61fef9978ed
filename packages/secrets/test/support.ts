import { type Middleware, wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'

export {
  type SecretsManagerServer,
  startSecretsManagerServer,
} from '../../../test/support/secrets-manager-server.ts'

/** A handler that answers with what it sees on context.secrets (so tests read it back). */
export function exposeSecrets(middleware: Middleware<any>) {
  return wrap<unknown>()
    .use(middleware)
    .handler(async (_event, context) => (context as unknown as { secrets: Record<string, unknown> }).secrets)
}

export const run = <T>(handler: (event: unknown, context: any) => Promise<T>, context = createContext()) =>
  handler({}, context)

/** Collects warnings instead of printing them; `received(n)` resolves once `n` have arrived. */
export function warningCollector() {
  const warnings: { message: string; details: Record<string, unknown> | undefined }[] = []
  const waiting = new Set<() => void>()
  return {
    warnings,
    logger: {
      warn: (message: string, details?: Record<string, unknown>) => {
        warnings.push({ message, details })
        for (const check of waiting) check()
      },
    },
    received: (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (warnings.length < count) return
          waiting.delete(check)
          resolve()
        }
        waiting.add(check)
        check()
      }),
  }
}

/** A promise the test settles: hold a server answer (`{ kind: 'held', until }`) until it says so. */
export function deferred() {
  let resolve: () => void = () => undefined
  const promise = new Promise<void>((settle) => {
    resolve = settle
  })
  return { promise, resolve }
}
