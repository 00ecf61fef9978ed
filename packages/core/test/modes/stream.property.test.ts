import { Readable } from 'node:stream'
import { wrapStream } from '@lamina/core/stream'
import { createContext } from '@lamina/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { captureStream } from './stream-support.js'

// Whatever a handler streams, in whatever pieces and as whichever kind of body, the client gets
// exactly those bytes, in order; and an HTTP answer's prelude is the answer without its body.
const pieces = fc.array(fc.uint8Array({ maxLength: 70_000 }), { maxLength: 6 })
const kinds = ['buffer', 'node', 'web', 'iterable'] as const

function bodyOf(kind: (typeof kinds)[number], chunks: Uint8Array[]): unknown {
  if (kind === 'buffer') return Buffer.concat(chunks)
  if (kind === 'node') return Readable.from(chunks.map((chunk) => Buffer.from(chunk)))
  if (kind === 'web') return ReadableStream.from(chunks)
  return (async function* () {
    yield* chunks
  })()
}

describe('wrapStream: properties', () => {
  it('sends exactly the bytes of any body, in order', async () => {
    await fc.assert(
      fc.asyncProperty(pieces, fc.constantFrom(...kinds), async (chunks, kind) => {
        const capture = captureStream()
        await wrapStream(() => bodyOf(kind, chunks) as string)({}, capture.out, createContext())
        expect(capture.bytes().equals(Buffer.concat(chunks))).toBe(true)
      }),
      { numRuns: 60 },
    )
  })

  it('frames any HTTP answer: its prelude is the answer without the body', async () => {
    const headers = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), fc.string({ maxLength: 40 }))
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 100, max: 599 }),
        headers,
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
        fc.string({ maxLength: 200 }),
        async (statusCode, headerMap, cookies, text) => {
          const capture = captureStream()
          const answer = { statusCode, headers: headerMap, cookies, body: text }
          await wrapStream(() => answer)({}, capture.out, createContext())
          expect(capture.framed()).toEqual({ prelude: { statusCode, headers: headerMap, cookies }, body: text })
        },
      ),
      { numRuns: 60 },
    )
  })
})
