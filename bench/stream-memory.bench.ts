// Memory of a streamed response: 100 MiB sent through wrapStream (@lamina/core/stream) to a
// client that takes each chunk on the next turn of the event loop, with the process's peak
// resident memory sampled every 2 ms against the baseline before the run. The budget is 64 MiB
// above baseline; @middy/core's streaming mode and a buffered wrap() of the same body are shown
// beside it. A report, not a timed test. Run: npx tsx bench/stream-memory.bench.ts
import { Readable, Writable } from 'node:stream'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { wrap } from '@lamina/core'
import { wrapStream } from '@lamina/core/stream'
import { createContext } from '@lamina/testing'
import middy from '@middy/core'
import { executionModeStreamifyResponse } from '@middy/core/StreamifyResponse'
import { quick, report } from './support/report.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const mib = 1024 * 1024
const bodyBytes = (quick ? 25 : 100) * mib
const chunkBytes = 64 * 1024
const budgetMiB = 64

/** The body, made as it is sent: a fresh 64 KiB buffer per chunk, as a database cursor or an upstream would. */
async function* body() {
  for (let sent = 0; sent < bodyBytes; sent += chunkBytes) yield Buffer.alloc(chunkBytes, 120)
}

/** A client that takes each chunk on the next turn of the event loop, and counts what it got. */
function slowClient() {
  let received = 0
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      received += chunk.byteLength
      setImmediate(callback)
    },
  }) as Writable & { setContentType(type: string): void }
  stream.setContentType = () => undefined
  return { stream, received: () => received }
}

/** Peak resident memory above the baseline while `run` goes, in MiB. */
async function peakAbove(run: () => Promise<number>): Promise<{ peakMiB: number; received: number }> {
  gc()
  gc()
  const baseline = process.memoryUsage.rss()
  let peak = baseline
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 2)
  const received = await run()
  peak = Math.max(peak, process.memoryUsage.rss())
  clearInterval(sampler)
  return { peakMiB: (peak - baseline) / mib, received }
}

const context = () => createContext({ timeoutMs: 15 * 60_000 })

async function laminaIterable(): Promise<number> {
  const client = slowClient()
  await wrapStream(() => body())({}, client.stream, context())
  return client.received()
}

async function laminaHttpReadable(): Promise<number> {
  const client = slowClient()
  const handler = wrapStream(() => ({
    statusCode: 200,
    headers: { 'content-type': 'application/octet-stream' },
    body: Readable.from(body()),
  }))
  await handler({}, client.stream, context())
  return client.received()
}

async function middyReadable(): Promise<number> {
  const client = slowClient()
  ;(globalThis as { awslambda?: unknown }).awslambda = {
    streamifyResponse: (handler: unknown) => handler,
    HttpResponseStream: { from: (stream: unknown) => stream },
  }
  const handler = middy(() => Readable.from(body()), { executionMode: executionModeStreamifyResponse })
  await (handler as unknown as (event: unknown, stream: Writable, context: unknown) => Promise<void>)(
    {},
    client.stream,
    context(),
  )
  delete (globalThis as { awslambda?: unknown }).awslambda
  return client.received()
}

/** The same body buffered: what a function without streaming holds before it can answer. */
async function buffered(): Promise<number> {
  const chunks: Buffer[] = []
  const answer = await wrap(async () => {
    for await (const chunk of body()) chunks.push(chunk)
    return Buffer.concat(chunks)
  })({}, context())
  return answer.byteLength
}

async function main() {
  const scenarios: [string, () => Promise<number>][] = [
    ['Lamina wrapStream, async iterable body', laminaIterable],
    ['Lamina wrapStream, HTTP answer, Node Readable body', laminaHttpReadable],
    ['@middy/core streaming mode, Node Readable body', middyReadable],
    ['Lamina wrap(), the body buffered (for contrast)', buffered],
  ]
  const results: { name: string; peakMiB: number; received: number }[] = []
  for (const [name, run] of scenarios) results.push({ name, ...(await peakAbove(run)) })
  for (const result of results) {
    // An HTTP answer also carries its prelude.
    if (result.received < bodyBytes)
      throw new Error(`${result.name} delivered ${result.received} of ${bodyBytes} bytes.`)
  }
  const lamina = Math.max(...results.slice(0, 2).map((result) => result.peakMiB))
  report({
    id: 'stream-memory',
    title: `Streaming ${bodyBytes / mib} MiB to a slow client (Node ${process.versions.node})`,
    tables: [
      {
        title: `Peak resident memory above baseline, ${bodyBytes / mib} MiB body in 64 KiB chunks`,
        rows: results.map((result) => ({
          scenario: result.name,
          'peak above baseline (MiB)': result.peakMiB.toFixed(1),
          'peak / body': (result.peakMiB / (bodyBytes / mib)).toFixed(3),
        })),
      },
    ],
    ratios: [
      {
        key: 'stream-memory-peak-over-budget',
        label: `Lamina's streamed peak over the ${budgetMiB} MiB budget`,
        value: lamina / budgetMiB,
        budget: 1,
      },
    ],
    notes: [`Lamina streamed ${bodyBytes / mib} MiB with a peak of ${lamina.toFixed(1)} MiB above baseline.`],
  })
}

await main()
