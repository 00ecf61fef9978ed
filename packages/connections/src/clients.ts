import type { Middleware } from '@lamina/core'
import { traceSdkClient } from './tracing.js'

/** Creates a client. Runs once per container, on first use; may be async (the promise is shared). */
export type ClientFactory<T = unknown> = () => T

/** A factory with a way to close what it created when the client is invalidated. */
export interface ClientDefinition<T = unknown> {
  create: () => T
  /** Called with the invalidated client (awaited value for async factories). Best effort: errors are ignored. */
  dispose?: (client: Awaited<T>) => unknown
}

/** A factory, or a factory with its dispose. */
export type ClientSpec<T = unknown> = ClientFactory<T> | ClientDefinition<T>

export interface ClientControls<Name extends string> {
  /**
   * Drops a client (after a broken connection, say) so the next use creates a fresh one.
   * Pass the client you saw fail: if another invocation already replaced it, the fresh one stays.
   */
  invalidate(name: Name, failed?: unknown): void
}

/** `context.clients` for a `clients({...})` call: each name typed by what its factory returns. */
export type Clients<Made> = { readonly [Name in keyof Made]: Made[Name] } & ClientControls<keyof Made & string>

export interface ClientsOptions {
  /**
   * The value put on `context.callbackWaitsForEmptyEventLoop` each invocation. Default false, so
   * open pools and sockets never hold the response back (callback-style handlers; the Node.js 24
   * runtime ignores it). Set `null` to leave the context alone.
   */
  callbackWaitsForEmptyEventLoop?: boolean | null
}

const reservedNames = new Set(['invalidate', '__proto__'])
const ignore = () => undefined

interface Slot {
  readonly create: () => unknown
  readonly dispose: ((client: any) => unknown) | undefined
  ready: boolean
  value: unknown
  /** For an async factory: what its promise resolved to (also accepted by invalidate). */
  resolved: unknown
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

function slotOf(name: string, spec: unknown): Slot {
  if (reservedNames.has(name)) throw new TypeError(`clients(): "${name}" is a reserved name; rename it.`)
  const definition = (typeof spec === 'function' ? { create: spec } : spec) as Partial<ClientDefinition> | null
  if (typeof definition?.create !== 'function') {
    throw new TypeError(`clients(): "${name}" must be a factory like () => new S3Client() or { create, dispose? }.`)
  }
  return {
    create: definition.create,
    dispose: definition?.dispose,
    ready: false,
    value: undefined,
    resolved: undefined,
  }
}

function use(slot: Slot): unknown {
  if (slot.ready) {
    // A client made before the OpenTelemetry mode loaded gets its spans from its next use.
    traceSdkClient(slot.resolved ?? slot.value)
    return slot.value
  }
  // A throwing factory leaves the slot empty: the next use tries again.
  const value = slot.create()
  slot.ready = true
  slot.value = value
  traceSdkClient(value)
  if (isThenable(value)) {
    value.then(
      (client) => {
        traceSdkClient(client)
        if (slot.value === value) slot.resolved = client
      },
      // A rejected creation is not cached as the client: the next use creates again.
      () => {
        if (slot.value === value) reset(slot)
      },
    )
  }
  return value
}

function reset(slot: Slot): void {
  slot.ready = false
  slot.value = undefined
  slot.resolved = undefined
}

function invalidate(slot: Slot, failed: unknown, checkFailed: boolean): void {
  if (!slot.ready) return
  if (checkFailed && failed !== slot.value && failed !== slot.resolved) return
  const client = isThenable(slot.value) ? slot.resolved : slot.value
  reset(slot)
  if (slot.dispose === undefined || client === undefined) return
  try {
    const result = slot.dispose(client)
    if (isThenable(result)) result.then(ignore, ignore)
  } catch {
    // Disposing a broken client often fails; the fresh one does not depend on it.
  }
}

/**
 * Lazily created clients shared by every invocation of the container: `context.clients.<name>`
 * runs its factory on first read, once, and returns the same client ever after (until
 * invalidated). Create SDK clients, pools and agents here rather than per invocation.
 *
 * ```ts
 * wrap<Event>()
 *   .use(clients({ s3: () => new S3Client({ requestHandler: agents.requestHandler }) }))
 *   .handler(async (event, context) => context.clients.s3.send(...))
 * ```
 */
export function clients<Made extends Record<string, unknown>>(
  // A mapped type over what each factory makes: TypeScript infers `Made` per name, which also
  // types `dispose`'s parameter.
  specs: { [Name in keyof Made]: ClientSpec<Made[Name]> },
  options: ClientsOptions = {},
): Middleware<{ context: { clients: Clients<Made> } }> {
  if (typeof specs !== 'object' || specs === null || Object.keys(specs).length === 0) {
    throw new TypeError('clients() takes at least one factory, like clients({ s3: () => new S3Client() }).')
  }
  const slots = new Map(Object.entries(specs).map(([name, spec]) => [name, slotOf(name, spec)]))
  // One view for the middleware instance: it holds clients, which are shared by design, and no
  // per-invocation state, so every invocation can be handed the same object.
  const view = Object.create(null) as Record<string, unknown>
  for (const [name, slot] of slots) {
    // Not enumerable: serialising the context (JSON.stringify) must not create every client.
    Object.defineProperty(view, name, { get: () => use(slot) })
  }
  Object.defineProperty(view, 'invalidate', {
    value(name: string, ...failed: unknown[]) {
      const slot = slots.get(name)
      if (slot === undefined) {
        throw new TypeError(
          `context.clients.invalidate("${name}"): no such client; known: ${[...slots.keys()].join(', ')}.`,
        )
      }
      invalidate(slot, failed[0], failed.length > 0)
    },
  })
  Object.freeze(view)
  const waits = options.callbackWaitsForEmptyEventLoop === undefined ? false : options.callbackWaitsForEmptyEventLoop
  return {
    name: 'clients',
    before(request) {
      const context = request.context
      context.clients = view
      if (waits !== null) context.callbackWaitsForEmptyEventLoop = waits
    },
  }
}
