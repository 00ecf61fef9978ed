// Parse + validate + respond for a small JSON body: a direct call doing the same work by hand,
// wrap().use(errorMapper()).use(validator({ body })), and @middy/core with http-error-handler,
// http-json-body-parser and a zod check in a before hook. One process, same events, same schema.
// Two cases: a valid body (200) and a body that fails the schema (400).
// Run: npx tsx bench/validator.bench.ts
import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { createContext, events } from '@lamina/testing'
import { validator } from '@lamina/validator'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import { createError } from '@middy/util'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { Bench } from 'tinybench'
import { z } from 'zod'
import { printTable, type Row } from './support/table.js'

const CreateOrder = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
  note: z.string().max(200).optional(),
})
type CreateOrder = z.infer<typeof CreateOrder>

// Each sample runs this many invocations back to back, so the sampling timer's cost is spread thin.
const batch = 100
const rounds = Number(process.env.BENCH_ROUNDS ?? 7)
const context = createContext({ timeoutMs: 15 * 60_000 })
const cases = {
  valid: events.apiGatewayV2({ body: { sku: 'A-1', quantity: 2, note: 'gift wrap' } }),
  invalid: events.apiGatewayV2({ body: { sku: '', quantity: -1 } }),
}

type Handler = (event: APIGatewayProxyEventV2, context: unknown) => Promise<unknown>

const respond = (order: CreateOrder) => ({
  statusCode: 201,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ sku: order.sku, quantity: order.quantity }),
})

// The same work with no framework: what a careful hand-written handler would do.
const direct: Handler = async (event) => {
  const type = event.headers['content-type']
  if (type !== 'application/json') return { statusCode: 415, body: '{"message":"Unsupported Media Type"}' }
  let json: unknown
  try {
    json = JSON.parse(event.body ?? '')
  } catch {
    return { statusCode: 400, body: '{"message":"The request body is not valid JSON."}' }
  }
  const result = CreateOrder.safeParse(json)
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }))
    return {
      statusCode: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Invalid', issues }),
    }
  }
  return respond(result.data)
}

const lamina: Handler = wrap<APIGatewayProxyEventV2>()
  .use(errorMapper())
  .use(validator({ body: CreateOrder }))
  .handler(async (event) => respond(event.body)) as unknown as Handler

const middyStack: Handler = middy(async (event: { body: CreateOrder }) => respond(event.body))
  .use(httpErrorHandler({ logger: false }))
  .use(httpJsonBodyParser())
  .use({
    before(request: { event: { body: unknown } }) {
      const result = CreateOrder.safeParse(request.event.body)
      if (!result.success) {
        const issues = result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }))
        throw createError(400, JSON.stringify({ message: 'Invalid', issues }), { expose: true })
      }
      request.event.body = result.data
    },
  }) as unknown as Handler

// Middy's body parser writes the parsed body back onto the event, so every call gets a fresh
// shallow copy; the direct call and Lamina get the same copy so all three pay for it.
const runBatch = (handler: Handler, event: APIGatewayProxyEventV2) => async () => {
  for (let i = 0; i < batch; i++) await handler({ ...event }, context)
}

async function check(): Promise<void> {
  // The three must agree on the outcome, or the comparison means nothing.
  for (const [name, event] of Object.entries(cases)) {
    const statuses = await Promise.all(
      [direct, lamina, middyStack].map(
        async (handler) => ((await handler({ ...event }, context)) as { statusCode: number }).statusCode,
      ),
    )
    if (new Set(statuses).size !== 1) throw new Error(`bench: ${name} case answers differ: ${statuses.join(', ')}`)
  }
}

async function main(): Promise<void> {
  await check()
  const handlers = { direct, lamina, middy: middyStack }
  // Interleaved short rounds on a noisy machine: keep each task's best and median round.
  const samples = new Map<string, number[]>()
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ name: `validator round ${round + 1}`, time: 200, warmupTime: 50 })
    for (const [caseName, event] of Object.entries(cases)) {
      for (const [name, handler] of Object.entries(handlers))
        bench.add(`${caseName}: ${name}`, runBatch(handler, event))
    }
    await bench.run()
    for (const task of bench.tasks) {
      const result = task.result
      if (result.state !== 'completed') throw new Error(`bench task "${task.name}" did not complete: ${result.state}`)
      samples.set(task.name, [...(samples.get(task.name) ?? []), (result.latency.mean * 1e6) / batch])
    }
  }
  const sorted = (name: string) => [...(samples.get(name) ?? [])].sort((a, b) => a - b)
  const best = (name: string) => sorted(name)[0] as number
  const median = (name: string) => sorted(name)[rounds >> 1] as number
  const rows: Row[] = [...samples.keys()].map((name) => {
    const [caseName] = name.split(':')
    return {
      task: name,
      'ns/op (best)': best(name).toFixed(0),
      'ns/op (median)': median(name).toFixed(0),
      'x direct': (best(name) / best(`${caseName}: direct`)).toFixed(2),
      'x middy': (best(name) / best(`${caseName}: middy`)).toFixed(3),
    }
  })
  printTable(
    `parse + validate + respond, ns per invocation (batches of ${batch}, best and median of ${rounds} rounds; node ${process.version})`,
    rows,
  )
}

await main()
