// Batch throughput: a 100-record SQS batch, each record's JSON body checked by the same zod
// schema, through batch() from @lamina/batch and through Powertools' processPartialResponse by
// hand (BatchProcessor made once at module scope, as Powertools documents; JSON.parse + schema in
// the record handler). Two cases: every record good, and one in ten failing its schema (so the
// answer lists ten failures). One process, same events, interleaved rounds.
// Run: node --import tsx bench/batch.bench.ts
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch'
import { type BatchLogger, batch } from '@lamina/batch'
import { createContext, events } from '@lamina/testing'
import type { SQSEvent, SQSRecord } from 'aws-lambda'
import { Bench } from 'tinybench'
import { z } from 'zod'
import { printTable, type Row } from './support/table.js'

const Order = z.object({ orderId: z.string(), quantity: z.number().int().positive(), sku: z.string().min(1) })
type Order = z.infer<typeof Order>

const records = 100
const rounds = Number(process.env.BENCH_ROUNDS ?? (process.env.BENCH_QUICK === '1' ? 3 : 7))
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
  const samples = new Map<string, number[]>()
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ name: `batch round ${round + 1}`, time: 300, warmupTime: 50 })
    for (const [caseName, event] of Object.entries(cases)) {
      for (const [name, handler] of Object.entries(handlers)) bench.add(`${caseName}: ${name}`, () => handler(event))
    }
    await bench.run()
    for (const task of bench.tasks) {
      const result = task.result
      if (result.state !== 'completed') throw new Error(`bench task "${task.name}" did not complete: ${result.state}`)
      // ms per batch
      samples.set(task.name, [...(samples.get(task.name) ?? []), result.latency.mean])
    }
  }
  const sorted = (name: string) => [...(samples.get(name) ?? [])].sort((a, b) => a - b)
  const best = (name: string) => sorted(name)[0] as number
  const median = (name: string) => sorted(name)[rounds >> 1] as number
  const perSecond = (ms: number) => Math.round((records * 1000) / ms).toLocaleString('en-US')
  const rows: Row[] = [...samples.keys()].map((name) => {
    const [caseName] = name.split(':')
    return {
      task: name,
      'records/s (best)': perSecond(best(name)),
      'records/s (median)': perSecond(median(name)),
      'time x powertools': (best(name) / best(`${caseName}: powertools`)).toFixed(2),
    }
  })
  printTable(
    `${records}-record SQS batch, zod schema per record (best and median of ${rounds} rounds; node ${process.version})`,
    rows,
  )
  if (units === 0) throw new Error('bench: no record did any work')
}

await main()
