// Engine overhead per invocation: a direct async call, wrap() and @middy/core with 0, 5 and 10
// no-op sync middlewares, with and without a hook reading the deadline signal. One process,
// same events, same context. Run: npx tsx bench/core.bench.ts
import { type AnyMiddleware, wrap } from '@lamina/core'
import { createContext, events } from '@lamina/testing'
import middy from '@middy/core'
import { cpuNow, median as medianOf, quick, report } from './support/report.js'
import type { Row } from './support/table.js'

// Each sample runs this many invocations back to back, so the clock's own cost (about 1 µs for
// a CPU-time read) is spread thin.
const batch = 200
const sizes = [0, 5, 10] as const
// A long deadline: no early-timeout timer fires while the bench runs.
const context = createContext({ timeoutMs: 15 * 60_000 })
const event = events.apiGatewayV2({ body: { order: 7 } })

type Handler = (event: unknown, context: unknown, options?: { signal: AbortSignal }) => Promise<unknown>

const response = { statusCode: 200, body: 'ok' }
const plain = async (_event: unknown) => response
const readsSignal = async (_event: unknown, _context: unknown, options?: { signal: AbortSignal }) => {
  if (options?.signal.aborted) throw new Error('deadline passed')
  return response
}

const noop = (): AnyMiddleware => ({ before: () => {}, after: () => {} })
// The one hook that looks at the deadline: a typical "pass the signal to fetch" middleware.
const signalReader = (): AnyMiddleware => ({
  before: (request) => {
    if (request.signal.aborted) throw new Error('deadline passed')
  },
  after: () => {},
})

/** `count` middlewares; with `signal`, the first one reads request.signal (or the handler does, at 0). */
function stack(count: number, signal: boolean): AnyMiddleware[] {
  return Array.from({ length: count }, (_, index) => (signal && index === 0 ? signalReader() : noop()))
}

function lamina(count: number, signal: boolean): Handler {
  return wrap(signal && count === 0 ? readsSignal : plain).use(stack(count, signal)) as Handler
}

// Middy has no request.signal: its handler gets { signal } and pays for it on every call anyway.
function middyWith(count: number, signal: boolean): Handler {
  const handler = middy(signal ? readsSignal : plain)
  for (const middleware of stack(count, false)) handler.use(middleware as never)
  return handler as unknown as Handler
}

const runBatch = (handler: Handler) => async () => {
  for (let i = 0; i < batch; i++) await handler(event, context)
}

// Shared machines are noisy: every round times one batch of every task back to back (rotating
// the order), and each task's median round is kept (its best round is reported too).
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 40 : 150))

function tasks(): [string, () => Promise<void>][] {
  const list: [string, () => Promise<void>][] = [['direct async call', runBatch(plain)]]
  for (const count of sizes) {
    for (const signal of [false, true]) {
      const suffix = `${count} mw${signal ? ', signal read' : ''}`
      list.push([`lamina ${suffix}`, runBatch(lamina(count, signal))])
      list.push([`middy ${suffix}`, runBatch(middyWith(count, signal))])
    }
  }
  return list
}

async function measure(): Promise<{ best: Map<string, number>; median: Map<string, number> }> {
  const list = tasks()
  const samples = new Map<string, number[]>(list.map(([name]) => [name, []]))
  for (let round = -5; round < rounds; round++) {
    for (let index = 0; index < list.length; index++) {
      const [name, run] = list[(index + Math.max(round, 0)) % list.length]!
      const started = cpuNow()
      await run()
      if (round >= 0) samples.get(name)!.push(((cpuNow() - started) * 1e6) / batch)
    }
  }
  return {
    best: new Map([...samples].map(([name, values]) => [name, Math.min(...values)])),
    median: new Map([...samples].map(([name, values]) => [name, medianOf(values)])),
  }
}

async function main() {
  const { best, median } = await measure()
  const direct = median.get('direct async call')!
  const rows: Row[] = [...median].map(([name, ns]) => {
    const middyTwin = name.startsWith('lamina') ? median.get(name.replace('lamina', 'middy')) : undefined
    return {
      task: name,
      'ns/op (median)': ns.toFixed(0),
      'ns/op (best)': best.get(name)!.toFixed(0),
      'x direct': (ns / direct).toFixed(2),
      'x middy': middyTwin ? (ns / middyTwin).toFixed(3) : '',
    }
  })
  // The measure: what the engine adds above a direct call, over what Middy adds, from the
  // median rounds (Middy always pays for its signal, so its "signal read" rows are its own cost).
  const overhead = (task: string) => median.get(task)! - direct
  const ratio = (count: number, signal: boolean) => {
    const suffix = `${count} mw${signal ? ', signal read' : ''}`
    return overhead(`lamina ${suffix}`) / overhead(`middy ${suffix}`)
  }
  const ratios = sizes.flatMap((count) =>
    [false, true].map((signal) => ({
      key: `overhead-${count}mw${signal ? '-signal' : ''}`,
      label: `${count} middlewares${signal ? ', signal read' : ''}: overhead ÷ Middy's`,
      value: ratio(count, signal),
      // The 5-middleware pair carries the budgets and is guarded; the others are reported.
      ...(count === 5 ? { budget: signal ? 0.6 : 1 / 7 } : { guard: false }),
    })),
  )
  report({
    id: 'core-engine',
    title: 'Engine overhead',
    tables: [
      {
        title: `ns per invocation (CPU time; median and best of ${rounds} rounds, each timing a batch of ${batch} of every task back to back; node ${process.version})`,
        rows,
      },
    ],
    ratios,
    chart: {
      title: 'Engine overhead above a direct call ÷ Middy’s',
      unit: 'ratio, lower is better (1 = as much as Middy)',
      bars: ratios.map((each) => ({ label: each.label.replace(": overhead ÷ Middy's", ''), value: each.value })),
      log: true,
      reference: 1,
    },
  })
}

await main()
