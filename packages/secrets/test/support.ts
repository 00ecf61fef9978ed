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

/** Collects warnings instead of printing them. */
export function warningCollector() {
  const warnings: { message: string; details: Record<string, unknown> | undefined }[] = []
  return {
    warnings,
    logger: { warn: (message: string, details?: Record<string, unknown>) => warnings.push({ message, details }) },
  }
}

/** Resolves once the server has received `count` GetSecretValue calls (bounded: fails after ~5 s). */
export async function waitForCalls(calls: () => number, count: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (calls() >= count) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`expected ${count} GetSecretValue calls, saw ${calls()}`)
}

/** Lets pending I/O callbacks and microtasks run (a background refresh settle). */
export const settle = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits (bounded: ~5 s) until `check` holds; for effects of background work. */
export async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (check()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}
