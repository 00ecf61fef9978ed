/**
 * The one order of Lamina's own middlewares. A Lamina middleware carries its place under
 * `orderKey`; `.use()` hands it the middlewares already in the chain, and it warns once per chain
 * (through `console.warn`, never throwing) when one that belongs after it is already there. The
 * check lives here, not in `.use()`, so a function built from `wrap` alone bundles none of it.
 */
export const orderKey: unique symbol = Symbol.for('lamina.order')

/**
 * A middleware's place: called by `.use()` with the middlewares added before it, their names
 * (same positions) and its own name.
 */
export interface OrderPlace {
  (earlier: readonly object[], names: readonly string[], name: string): void
  readonly rank: number
}

const advice =
  "in that order Lamina's middlewares lose behaviour (context keys on error lines, metrics, the timeout answer). " +
  'The order: warmup() if used, timeoutGuard(), cors() if used, errorMapper(), observability (tracing, logging, metrics), then validator, secrets and the rest.'

// Per chain (the `earlier` list is the chain's own), so each chain warns at most once.
const warned = /* @__PURE__ */ new WeakSet<object>()

function rankOf(middleware: object): number {
  const place = (middleware as { [orderKey]?: unknown })[orderKey]
  return typeof place === 'function' && typeof (place as OrderPlace).rank === 'number' ? (place as OrderPlace).rank : 0
}

function place(rank: number): OrderPlace {
  const check = (earlier: readonly object[], names: readonly string[], name: string) => {
    if (warned.has(earlier)) return
    const later = earlier.findIndex((middleware) => rankOf(middleware) > rank)
    if (later === -1) return
    warned.add(earlier)
    console.warn(`[lamina] "${name}" is used after "${names[later]}": ${advice}`)
  }
  return Object.assign(check, { rank })
}

/**
 * The places, first to last: a warm-up ping is answered before anything else does work (no
 * timer, no log line, no metric); the timeout guard covers everything after it; cors() answers
 * preflights early, and its onError, running after the mapper's, adds its headers to error
 * answers; the error mapper's `onError` runs after every observer has seen the error; observers start before anything that
 * can fail; input middlewares (validator, secrets, the rest) run inside all of them.
 */
export const orderRank = {
  warmup: /* @__PURE__ */ place(5),
  timeoutGuard: /* @__PURE__ */ place(10),
  cors: /* @__PURE__ */ place(15),
  errorMapper: /* @__PURE__ */ place(20),
  observability: /* @__PURE__ */ place(30),
  input: /* @__PURE__ */ place(40),
} as const
