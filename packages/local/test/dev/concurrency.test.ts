// lamina dev --concurrency 50: 50 overlapping requests through the dev server into one function
// process in Managed Instances mode; every log line and metric document carries its own request id.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startBarrier } from '../../../../test/support/barrier.js'
import type { InvocationRecord } from '../../src/dev/history.js'
import { fixtures, startTestServer } from './support/dev-server.js'

const overlapping = 50

const jsonLines = (lines: string[]) =>
  lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>]
    } catch {
      return []
    }
  })

describe('lamina dev --concurrency (Managed Instances mode)', () => {
  it('keeps 50 overlapping requests apart: each answer, log line and metric document under its own request id', async () => {
    // Prepare
    const server = await startTestServer({ dir: join(fixtures, 'concurrent'), concurrency: overlapping })
    const barrier = await startBarrier(overlapping)
    try {
      // Act: all 50 are in the function at once (none can pass the barrier before the last arrives)
      const answers = await Promise.all(
        Array.from({ length: overlapping }, async (_, order) => {
          const response = await fetch(`${server.url}/orders`, {
            method: 'POST',
            body: JSON.stringify({ order, barrier: barrier.url }),
            headers: { 'content-type': 'application/json' },
          })
          return { status: response.status, ...((await response.json()) as { order: number; requestId: string }) }
        }),
      )
      // Assess
      expect(answers.map((answer) => [answer.status, answer.order])).toEqual(answers.map((_, order) => [201, order]))
      const records = (await (await fetch(`${server.url}/_lamina/invocations`)).json()) as InvocationRecord[]
      expect(records).toHaveLength(overlapping)
      expect(records.filter((record) => record.cold)).toHaveLength(1)
      for (const answer of answers) {
        const record = records.find((entry) => entry.requestId === answer.requestId) as InvocationRecord
        const lines = jsonLines(record.logs)
        const logLines = lines.filter((line) => line.message === 'order received' || line.message === 'order placed')
        expect(logLines.map((line) => [line.order, line.function_request_id])).toEqual([
          [answer.order, answer.requestId],
          [answer.order, answer.requestId],
        ])
        expect(lines.filter((line) => 'OrdersPlaced' in line).map((document) => document.order)).toEqual([
          String(answer.order),
        ])
      }
    } finally {
      barrier.close()
      await server.close()
    }
  })
})
