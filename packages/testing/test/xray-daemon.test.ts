import { setLambdaEnvironment, startXRayDaemon, type XRayDaemon } from '@lamina/testing'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'

let daemon: XRayDaemon
let restoreEnvironment: () => void
let Segment: new (name: string) => { close(): void; trace_id: string }

beforeAll(async () => {
  daemon = await startXRayDaemon()
  // The X-Ray SDK reads its daemon address when it is first imported: in Lambda mode it queues
  // documents and sends them in batches, each from a fresh socket.
  restoreEnvironment = setLambdaEnvironment(daemon.environment)
  Segment = (await import('aws-xray-sdk-core')).default.Segment as unknown as typeof Segment
})

afterAll(() => {
  vi.useRealTimers()
  restoreEnvironment()
  daemon.close()
})

describe('startXRayDaemon: waiting on the documents, not the clock', () => {
  test('flush() returns every document the X-Ray SDK queued before it, with the clock frozen', async () => {
    // Prepare: a burst large enough to span several of the SDK's send batches.
    daemon.documents.length = 0
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'setImmediate', 'Date'] })
    const traceIds = Array.from({ length: 40 }, (_, index) => {
      const segment = new Segment(`burst-${index}`)
      segment.close()
      return segment.trace_id
    })

    // Act
    const documents = await daemon.flush()
    vi.useRealTimers()

    // Assess: all of them, in order, and nothing else.
    expect(documents.map((document) => document.trace_id)).toEqual(traceIds)
  })

  test('waitFor(n) returns once n documents arrived, and stops waiting after 5 s when they do not', async () => {
    // Prepare
    daemon.documents.length = 0
    const segment = new Segment('only-one')
    segment.close()

    // Act
    const one = await daemon.waitFor(1)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const two = daemon.waitFor(2)
    await vi.advanceTimersByTimeAsync(5_000)
    const givenUp = await two
    vi.useRealTimers()

    // Assess
    expect(one).toEqual([expect.objectContaining({ name: 'only-one' })])
    expect(givenUp).toHaveLength(1)
  })
})
