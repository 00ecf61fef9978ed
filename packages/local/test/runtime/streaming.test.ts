// Response streaming over the Runtime API as Lambda does it: chunked, the HTTP prelude and its
// 8 NUL bytes, an error midway in the trailers; handlers use the runtime's `awslambda` global.
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalFunction, type StreamPrelude, startLocalFunction } from '../../src/index.js'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))

describe('streamed responses', () => {
  let http: LocalFunction
  let raw: LocalFunction

  beforeAll(async () => {
    http = await startLocalFunction({ handler: 'streaming.handler', cwd: fixtures })
    raw = await startLocalFunction({ handler: 'streaming.raw', cwd: fixtures })
  })

  afterAll(async () => {
    await http?.close()
    await raw?.close()
  })

  it('delivers the prelude first, then each chunk, and the whole body in the result', async () => {
    // Prepare
    const seen: (StreamPrelude | string)[] = []

    // Act
    const result = await http.invoke(
      { parts: ['one ', 'two ', 'three'] },
      { onPrelude: (prelude) => seen.push(prelude), onChunk: (chunk) => seen.push(Buffer.from(chunk).toString()) },
    )

    // Assess
    expect(result).toMatchObject({
      streamed: true,
      response: 'one two three',
      prelude: { statusCode: 201, headers: { 'content-type': 'text/plain' }, cookies: ['a=1'] },
    })
    expect(result.error).toBeUndefined()
    expect(seen[0]).toEqual({ statusCode: 201, headers: { 'content-type': 'text/plain' }, cookies: ['a=1'] })
    expect(seen.slice(1).join('')).toBe('one two three')
  })

  it('reports an error after the first bytes from the trailers, keeping what was sent', async () => {
    const result = await http.invoke({ parts: ['partial'], fail: true })
    expect(result).toMatchObject({
      streamed: true,
      response: 'partial',
      error: { errorType: 'Error', errorMessage: 'failed after the first bytes' },
    })
    expect(result.logs.some((line) => line.includes('Invoke Error'))).toBe(true)
  })

  it('streams a body without a prelude as it is', async () => {
    const result = await raw.invoke({})
    expect(result).toMatchObject({ streamed: true, response: 'raw body' })
    expect(result.prelude).toBeUndefined()
  })

  it('times the middlewares of a streamed Lamina chain, as it does a buffered one', async () => {
    // Prepare: the loop reports a streamed invocation only after its stream has ended
    const timed = await startLocalFunction({ handler: 'timed-stream.handler', cwd: fixtures })

    // Act
    const results = [await timed.invoke({ name: 'ada' }), await timed.invoke({ name: 'bo' })]
    await timed.close()

    // Assess
    for (const [index, result] of results.entries()) {
      expect(result).toMatchObject({ streamed: true, response: `hello ${['ada', 'bo'][index]}` })
      expect(result.timings.map(({ phase, middleware }) => `${phase}:${middleware}`)).toEqual(
        expect.arrayContaining(['before:first', 'handler:handler']),
      )
    }
  })
})
