// What the timeout guard costs per invocation: wrap() with and without timeoutGuard(), against
// @middy/core with and without its own early timeout (timeoutEarlyInMillis), 5 no-op middlewares
// each, and a direct call. One process, same event, same context. Run: npx tsx bench/timeout.bench.ts
import { type AnyMiddleware, wrap } from '@lamina/core'
import { createContext, events } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import middy from '@middy/core'
import { Bench } from 'tinybench'
import { printTable } from './support/table.js'

// Each sample runs this many invocations back to back, so the sampling timer's own cost is spread thin.
const batch = 200
// A long deadline: no guard fires while the bench runs (each invocation arms and clears its timer).
const context = createContext({ timeoutMs: 15 * 60_000 })
const event = events.apiGatewayV2({ body: { order: 7 } })
const marginMs = 500

type Handler = (event: unknown, context: unknown) => Promise<unknown>

const response = { statusCode: 200, body: 'ok' }
const plain = async (_event: unknown) => response
const noops = (): AnyMiddleware[] => Array.from({ length: 5 }, () => ({ before: () => {}, after: () => {} }))

const lamina = (guarded: boolean): Handler =>
  (guarded ? wrap(plain).use(timeoutGuard({ marginMs })) : wrap(plain)).use(noops()) as Handler

// timeoutEarlyInMillis 0 switches Middy's race off; its default (5) would leave it on.
function middyWith(timeoutEarlyInMillis: number): Handler {
  const handler = middy(plain, { timeoutEarlyInMillis })
  for (const middleware of noops()) handler.use(middleware as never)
  return handler as unknown as Handler
}

const runBatch = (handler: Handler) => async () => {
  for (let i = 0; i < batch; i++) await handler(event, context)
}

async function main() {
  const bench = new Bench({ name: 'timeout', time: 1000, warmupTime: 300 })
  bench.add('direct async call', runBatch(plain))
  bench.add('lamina 5 mw', runBatch(lamina(false)))
  bench.add('lamina 5 mw + timeoutGuard', runBatch(lamina(true)))
  bench.add('middy 5 mw, no early timeout', runBatch(middyWith(0)))
  bench.add(`middy 5 mw, timeoutEarlyInMillis ${marginMs}`, runBatch(middyWith(marginMs)))
  await bench.run()

  const ns = new Map<string, number>()
  for (const task of bench.tasks) {
    const result = task.result
    if (result.state !== 'completed') throw new Error(`bench task "${task.name}" did not complete: ${result.state}`)
    ns.set(task.name, (result.latency.mean * 1e6) / batch)
  }
  const get = (name: string) => ns.get(name) as number
  const direct = get('direct async call')
  const middyEarly = get(`middy 5 mw, timeoutEarlyInMillis ${marginMs}`)
  printTable(
    `timeout guard, ns per invocation (batches of ${batch}, node ${process.version})`,
    [...ns].map(([name, value]) => ({
      task: name,
      'ns/op': value.toFixed(0),
      'x direct': (value / direct).toFixed(2),
      'x middy early timeout': (value / middyEarly).toFixed(3),
    })),
  )
  const guardCost = get('lamina 5 mw + timeoutGuard') - get('lamina 5 mw')
  const middyCost = middyEarly - get('middy 5 mw, no early timeout')
  console.log(
    `\nguard cost per invocation: lamina ${guardCost.toFixed(0)} ns, middy early timeout ${middyCost.toFixed(0)} ns`,
  )
}

await main()
