import { Readable } from 'node:stream'
import { wrapStream } from '@lamina/core/stream'
import { errorMapper } from '@lamina/errors'
import { createContext, events } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { expect, it } from 'vitest'
import { captureStream } from './stream-support.js'

it('with a timeout guard, a body still flowing at the margin ends the invocation with the TimeoutError', async () => {
  // Prepare: one chunk, then nothing more, with the guard's margin reached while it waits
  const body = new Readable({ read() {} })
  body.push('partial')
  let cleaned = false
  const handler = wrapStream(() => ({ statusCode: 200, body }))
    .use(timeoutGuard({ marginMs: 20 }))
    .use(errorMapper())
    .use({
      cleanup: () => {
        cleaned = true
      },
    })
  const capture = captureStream()
  // Act
  const outcome = handler(events.functionUrl(), capture.out, createContext({ timeoutMs: 80 }))
  // Assess
  await expect(outcome).rejects.toMatchObject({ name: 'TimeoutError' })
  expect([capture.framed(), body.destroyed, cleaned]).toEqual([
    { prelude: { statusCode: 200 }, body: 'partial' },
    true,
    true,
  ])
})
