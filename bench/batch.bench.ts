// Batch throughput: a 100-record SQS batch, each record's JSON body checked by the same zod
// schema, through batch() from @lamina/batch and through Powertools' processPartialResponse by
// hand (BatchProcessor made once at module scope, as Powertools documents; JSON.parse + schema in
// the record handler). Two cases: every record good, and one in ten failing its schema (so the
// answer lists ten failures). One process, same events, interleaved rounds; each ratio is paired
// (per round, Lamina's slice over Powertools' slice timed next to it; median over the rounds) and
// in CPU time, so a burst of load from another process moves both sides alike.
// Run: node --import tsx bench/batch.bench.ts
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch'
import { type BatchLogger, batch } from '@lamina/batch'
import { createContext, events } from '@lamina/testing'
import type { SQSEvent, SQSRecord } from 'aws-lambda'
import { z } from 'zod'
import { interleaved, type Variant } from './support/interleave.js'
import { quick, report } from './support/report.js'

const Order = z.object({ orderId: z.string(), quantity: z.number().int().positive(), sku: z.string().min(1) })
type Order = z.infer<typeof Order>

const records = 100
// Batches per timed slice, and slices per task: every round times one slice of each task back
// to back (see bench/support/interleave.ts), so the other tenants' load lands on both sides.
const batchesPerSlice = 10
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 60 : 300))
const context = createContext({ timeoutMs: 15 * 60_000 })
const bodies = (failEvery: number) =>
  Array.from({ length: records }, (_, index) => ({
    orderId: `o-${index}`,
    quantity: failEvery > 0 && index % failEvery === 0 ? -1 : 1 + (index % 5),
    sku: `SKU-${index % 7}`,
  }))
const cases: Record<string, SQSEvent> = {
  'all good': events.sqs(bodies(0)),
  '1 in 10 invalid': events.sqs(bodies(10)),
}

// The work each record does: the same in both.
let units = 0
const work = (order: Order) => {
  units += order.quantity
}

// Failed records are logged by batch(); the hand-written handler would log them too.
const quiet: BatchLogger = { warn: () => undefined, error: () => undefined }
const lamina = batch({ source: 'sqs', schema: Order, throwOnFullBatchFailure: false, logger: quiet, record: work })

const processor = new BatchProcessor(EventType.SQS)
const byHand = (event: SQSEvent) =>
  processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const result = Order.safeParse(JSON.parse(record.body))
      if (!result.success) {
        quiet.warn('invalid', result.error.issues)
        throw new Error('The record did not match the schema.')
      }
      work(result.data)
    },
    processor,
    { context, throwOnFullBatchFailure: false },
  )

const handlers = {
  lamina: (event: SQSEvent) => lamina(event, context),
  powertools: byHand,
}

async function check(): Promise<void> {
  // Both must report the same failures, or the comparison means nothing.
  for (const [name, event] of Object.entries(cases)) {
    const answers = await Promise.all(
      Object.values(handlers).map(async (handler) =>
        (await handler(event)).batchItemFailures
          .map((failure) => failure.itemIdentifier)
          .sort()
          .join(','),
      ),
    )
    if (new Set(answers).size !== 1) throw new Error(`bench: the "${name}" answers differ`)
  }
}

async function main(): Promise<void> {
  await check()
  const tasks = Object.entries(cases).flatMap(([caseName, event]) =>
    Object.entries(handlers).map(([name, handler]): Variant => [`${caseName}: ${name}`, () => handler(event)]),
  )
  const result = await interleaved(tasks, { batch: batchesPerSlice, rounds, warmupRounds: quick ? 5 : 20 })
  const ns = (name: string) => result.medians.get(name) as number
  const perSecond = (nsPerBatch: number) => Math.round((records * 1e9) / nsPerBatch).toLocaleString('en-US')
  const ratios = Object.keys(cases).map((caseName, index) => ({
    key: index === 0 ? 'all-good-vs-powertools' : 'invalid-vs-powertools',
    label: `${caseName}: Lamina ÷ Powertools by hand`,
    value: result.pairedRatio(`${caseName}: lamina`, `${caseName}: powertools`),
    budget: 1,
  }))
  report({
    id: 'batch',
    title: 'Batch throughput',
    tables: [
      {
        title: `${records}-record SQS batch, zod schema per record (CPU time, median of ${rounds} rounds, each timing ${batchesPerSlice} batches of every task back to back; node ${process.version})`,
        rows: tasks.map(([name]) => {
          const [caseName] = name.split(':') as [string]
          return {
            task: name,
            'µs/batch': (ns(name) / 1000).toFixed(1),
            'records/s': perSecond(ns(name)),
            'x powertools': (ns(name) / ns(`${caseName}: powertools`)).toFixed(3),
          }
        }),
      },
    ],
    ratios,
    chart: {
      title: 'Batch throughput: time per batch, Lamina ÷ Powertools by hand',
      unit: 'ratio, lower is better (1 = the same)',
      bars: ratios.map((each) => ({ label: each.label, value: each.value })),
      reference: 1,
    },
  })
  if (units === 0) throw new Error('bench: no record did any work')
}

await main()
