// Managed Instances mode: 50 invocations overlap in one process (each waits at a barrier until
// all 50 have arrived), and every Powertools log line and metric document carries its own request
// id, because the loop runs each invocation inside its own @aws/lambda-invoke-store context.
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { startBarrier } from '../../../../test/support/barrier.js'
import { type LocalFunction, startLocalFunction } from '../../src/index.js'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const overlapping = 50

const records = (lines: string[]) =>
  lines.flatMap((line) => {
    try {
      const parsed = JSON.parse(line)
      return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, any>] : []
    } catch {
      return []
    }
  })

describe('Managed Instances mode (concurrency > 1)', () => {
  let fn: LocalFunction | undefined
  afterAll(async () => fn?.close())

  it('keeps 50 overlapping invocations apart in every log line and metric document', async () => {
    // Prepare
    const barrier = await startBarrier(overlapping)
    const output: string[] = []
    fn = await startLocalFunction({
      handler: 'powertools.handler',
      cwd: fixtures,
      concurrency: overlapping,
      timeoutSeconds: 60,
      env: { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_SERVICE_NAME: 'orders' },
      onOutput: (line) => output.push(line),
    })

    // Act
    const results = await Promise.all(
      Array.from({ length: overlapping }, (_, order) => fn!.invoke({ order, barrier: barrier.url })),
    ).finally(barrier.close)

    // Assess: each answered with its own request id...
    expect(results.map((result) => result.error)).toEqual(results.map(() => undefined))
    expect(results.map((result) => result.response)).toEqual(
      results.map((result, order) => ({ order, requestId: result.requestId })),
    )
    // ...exactly one cold start in the process, in Managed Instances' initialisation type...
    expect(results.filter((result) => result.cold)).toHaveLength(1)
    // ...and each invocation's own lines: two log lines and one EMF document, all its own.
    for (const [order, result] of results.entries()) {
      const mine = records(result.logs)
      const logLines = mine.filter((record) => record.message === 'order received' || record.message === 'order placed')
      expect(logLines.map((line) => [line.order, line.function_request_id])).toEqual([
        [order, result.requestId],
        [order, result.requestId],
      ])
      const documents = mine.filter((record) => 'OrdersPlaced' in record)
      expect(documents.map((document) => document.order)).toEqual([String(order)])
    }
    // The process's raw output agrees: 100 log lines, each under the id of the invocation of its order.
    const requestIdOf = new Map(results.map((result, order) => [order, result.requestId]))
    const logLines = records(output).filter((record) => record.message?.startsWith('order '))
    expect(logLines).toHaveLength(2 * overlapping)
    for (const line of logLines) expect(line.function_request_id).toBe(requestIdOf.get(line.order))
  })
})
