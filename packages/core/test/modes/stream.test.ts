import { Readable } from 'node:stream'
import { type Middleware, wrap } from '@lamina/core'
import { wrapStream } from '@lamina/core/stream'
import { errorMapper } from '@lamina/errors'
import { createContext, events } from '@lamina/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { captureStream } from './stream-support.js'

const context = () => createContext({ timeoutMs: 10_000 })
const streamingMark = Symbol.for('aws.lambda.runtime.handler.streaming')

async function* chunksOf(...parts: string[]) {
  for (const part of parts) yield part
}

describe('wrapStream: bodies', () => {
  const body = 'hello, streamed world'
  const bodies: [string, () => unknown][] = [
    ['a string', () => body],
    ['a Buffer', () => Buffer.from(body)],
    ['a Uint8Array', () => new TextEncoder().encode(body)],
    ['a Node Readable', () => Readable.from([body.slice(0, 5), body.slice(5)])],
    ['a web ReadableStream', () => ReadableStream.from([body.slice(0, 5), body.slice(5)])],
    ['an async iterable', () => chunksOf(body.slice(0, 5), body.slice(5))],
  ]

  it.each(bodies)('sends %s as it is, with no prelude', async (_name, make) => {
    // Prepare
    const handler = wrapStream(async () => make() as string)
    const capture = captureStream()
    // Act
    await handler({}, capture.out, context())
    // Assess
    expect(capture.text()).toBe(body)
    expect(capture.contentTypes).toEqual([])
  })

  it.each([null, undefined])('sends nothing for %s', async (value) => {
    const handler = wrapStream(() => value)
    const capture = captureStream()
    await handler({}, capture.out, context())
    expect(capture.bytes().byteLength).toBe(0)
  })

  it('frames an HTTP answer: the prelude (everything but the body), eight zero bytes, the body', async () => {
    // Prepare
    const handler = wrapStream(async () => ({
      statusCode: 201,
      headers: { 'content-type': 'text/plain' },
      cookies: ['a=1'],
      body: chunksOf('one,', 'two'),
    }))
    const capture = captureStream()
    // Act
    await handler(events.functionUrl(), capture.out, context())
    // Assess
    expect(capture.framed()).toEqual({
      prelude: { statusCode: 201, headers: { 'content-type': 'text/plain' }, cookies: ['a=1'] },
      body: 'one,two',
    })
    expect(capture.contentTypes).toEqual(['application/vnd.awslambda.http-integration-response'])
  })

  it('sends the prelude of an HTTP answer without a body', async () => {
    const handler = wrapStream(() => ({ statusCode: 204 }))
    const capture = captureStream()
    await handler({}, capture.out, context())
    expect(capture.framed()).toEqual({ prelude: { statusCode: 204 }, body: '' })
  })

  it('keeps a multi-byte character whole across a slice boundary', async () => {
    // Prepare: a 3-byte character straddling the 64 KiB slice
    const body = `${'x'.repeat(64 * 1024 - 1)}€${'y'.repeat(10)}`
    const handler = wrapStream(() => body)
    const capture = captureStream()
    // Act
    await handler({}, capture.out, context())
    // Assess
    expect(capture.text()).toBe(body)
    expect(capture.chunks.length).toBeGreaterThan(1)
  })

  it('is marked as a streaming handler for the runtime and works without a context', async () => {
    const handler = wrapStream(() => 'ok')
    const [capture, second] = [captureStream(), captureStream()]
    await (handler as (event: unknown, out: unknown, context?: unknown) => Promise<void>)(undefined, capture.out)
    await (handler as (event: unknown, out: unknown, context?: unknown) => Promise<void>)({}, second.out, null)
    expect((handler as unknown as Record<symbol, unknown>)[streamingMark]).toBe('response')
    expect([capture.text(), second.text()]).toEqual(['ok', 'ok'])
  })
})

describe('wrapStream: the chain around the stream', () => {
  it('runs before in order, after in reverse (seeing the answer before a byte is sent), cleanup after the last byte', async () => {
    // Prepare
    const seen: string[] = []
    const capture = captureStream()
    const step = (name: string): Middleware => ({
      name,
      before: () => void seen.push(`before ${name}`),
      after: () => void seen.push(`after ${name} (${capture.bytes().byteLength} bytes sent)`),
      cleanup: () => void seen.push(`cleanup ${name} (${capture.text()})`),
    })
    const handler = wrapStream(() => 'body').use([step('a'), step('b')])
    // Act
    await handler({}, capture.out, context())
    // Assess
    expect(seen).toEqual([
      'before a',
      'before b',
      'after b (0 bytes sent)',
      'after a (0 bytes sent)',
      'cleanup b (body)',
      'cleanup a (body)',
    ])
  })

  it('streams what an after hook put in place of the response', async () => {
    const handler = wrapStream(() => 'original').use({
      after: (request) => {
        request.response = { statusCode: 200, body: Readable.from([`${request.response} replaced`]) }
      },
    })
    const capture = captureStream()
    await handler({}, capture.out, context())
    expect(capture.framed()).toEqual({ prelude: { statusCode: 200 }, body: 'original replaced' })
  })

  it('streams an early answer from before, skips the handler and still cleans up', async () => {
    let handled = false
    let cleaned = false
    const handler = wrapStream(() => {
      handled = true
      return 'handler'
    }).use({
      before: () => 'cached',
      cleanup: () => {
        cleaned = true
      },
    })
    const capture = captureStream()
    await handler({}, capture.out, context())
    expect([capture.text(), handled, cleaned]).toEqual(['cached', false, true])
  })

  it('builds handler-last, as wrap<Event>() does', async () => {
    const handler = wrapStream<{ name: string }>()
      .use({
        before: (request) => {
          request.event.name = request.event.name.toUpperCase()
        },
      })
      .handler((event) => `hi ${event.name}`)
    const capture = captureStream()
    await handler({ name: 'ada' }, capture.out, context())
    expect(capture.text()).toBe('hi ADA')
  })
})

describe('wrapStream: errors', () => {
  it('answers an error thrown before the first byte through errorMapper, with its prelude', async () => {
    // Prepare
    const handler = wrapStream(async () => {
      throw Object.assign(new Error('no such order'), { statusCode: 404, expose: true })
    }).use(errorMapper())
    const capture = captureStream()
    // Act
    await handler(events.functionUrl(), capture.out, context())
    // Assess
    const { prelude, body } = capture.framed()
    expect(prelude.statusCode).toBe(404)
    expect(JSON.parse(body).message).toBe('no such order')
  })

  it('answers a body that fails before its first chunk through errorMapper too', async () => {
    const failing: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          throw new Error('database gone')
        },
      }),
    }
    const handler = wrapStream(() => ({ statusCode: 200, body: failing })).use(errorMapper())
    const capture = captureStream()
    await handler(events.functionUrl(), capture.out, context())
    expect(capture.framed().prelude.statusCode).toBe(500)
  })

  it('maps an answer the stream cannot carry to a 500 naming the mistake', async () => {
    const seen: unknown[] = []
    const handler = wrapStream(() => ({ not: 'a body' }) as unknown as string)
      .use(errorMapper())
      .use({ onError: (request) => void seen.push(request.error) })
    const capture = captureStream()
    await handler(events.functionUrl(), capture.out, context())
    expect(capture.framed().prelude.statusCode).toBe(500)
    expect(String((seen[0] as Error).message)).toMatch(
      /string, Buffer, ReadableStream.*got an object without statusCode/,
    )
  })

  it('rejects with an error nothing answered, writing nothing', async () => {
    const failure = new Error('boom')
    const handler = wrapStream(() => {
      throw failure
    })
    const capture = captureStream()
    await expect(handler({}, capture.out, context())).rejects.toBe(failure)
    expect(capture.bytes().byteLength).toBe(0)
  })

  it('ends the invocation with an error after the first byte: onError sees it, the caller gets it, cleanup runs', async () => {
    // Prepare
    const failure = new Error('lost the upstream')
    const body = (async function* () {
      yield 'first part;'
      throw failure
    })()
    const observed: unknown[] = []
    let cleaned = false
    const handler = wrapStream(() => ({ statusCode: 200, body }))
      .use(errorMapper())
      .use({
        onError: (request) => void observed.push(request.error),
        cleanup: () => {
          cleaned = true
        },
      })
    const capture = captureStream()
    // Act
    const outcome = handler(events.functionUrl(), capture.out, context())
    // Assess
    await expect(outcome).rejects.toBe(failure)
    expect(observed).toEqual([failure])
    expect(cleaned).toBe(true)
    expect(capture.framed()).toEqual({ prelude: { statusCode: 200 }, body: 'first part;' })
  })

  it.each([
    ['a number', 42, /got number/],
    ['an object without statusCode', { data: 1 }, /got an object without statusCode/],
  ])('rejects %s, naming what the stream mode sends', async (_name, value, message) => {
    const handler = wrapStream(() => value as unknown as string)
    const capture = captureStream()
    await expect(handler({}, capture.out, context())).rejects.toThrow(message)
    expect(capture.bytes().byteLength).toBe(0)
  })

  it('stops a string body when the client goes away mid-way', async () => {
    const { Writable } = await import('node:stream')
    const written: number[] = []
    const out = new Writable({
      highWaterMark: 1,
      write: (chunk: Buffer, _encoding, callback) => {
        written.push(chunk.byteLength)
        out.destroy()
        callback()
      },
    })
    const handler = wrapStream(() => 'z'.repeat(300 * 1024))
    await expect(handler({}, out, context())).rejects.toThrow(/closed before the body was sent/)
    expect(written).toEqual([64 * 1024])
  })

  it('gives up an async iterable whose return() itself fails, without an unhandled rejection', async () => {
    const failure = new Error('client gone')
    let returned = 0
    const body: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: 'chunk' }),
        return: async () => {
          returned++
          throw new Error('cannot stop')
        },
      }),
    }
    const { Writable } = await import('node:stream')
    const out = new Writable({ highWaterMark: 1, write: (_chunk, _encoding, callback) => callback(failure) })
    out.on('error', () => undefined)
    await expect(wrapStream(() => body)({}, out, context())).rejects.toBe(failure)
    expect(returned).toBe(1)
  })

  it('rejects when the response stream fails at the end', async () => {
    const failure = new Error('socket closed')
    const { Writable } = await import('node:stream')
    const out = new Writable({
      write: (_chunk, _encoding, callback) => callback(),
      final: (callback) => callback(failure),
    })
    const handler = wrapStream(() => 'body')
    await expect(handler({}, out, context())).rejects.toBe(failure)
  })

  it('rejects when the response stream closes while the body waits for it to drain', async () => {
    const { Writable } = await import('node:stream')
    const out = new Writable({ highWaterMark: 1, write: () => out.destroy() })
    const handler = wrapStream(() => chunksOf('a', 'b', 'c'))
    await expect(handler({}, out, context())).rejects.toThrow(/closed before the body was sent/)
  })

  it('rejects with the stream error when it errors while the body waits for it to drain', async () => {
    const failure = new Error('reset by peer')
    const { Writable } = await import('node:stream')
    const out = new Writable({ highWaterMark: 1, write: (_chunk, _encoding, callback) => callback(failure) })
    out.on('error', () => undefined)
    const handler = wrapStream(() => chunksOf('a', 'b', 'c'))
    await expect(handler({}, out, context())).rejects.toBe(failure)
  })
})

describe('wrapStream: deadline and backpressure', () => {
  it('aborts the source at the deadline, rejects with the TimeoutError, and cleanup still runs', async () => {
    // Prepare: a body that sends one chunk, then waits for data that never comes
    let cleaned = false
    const body = new Readable({ read() {} })
    body.push('partial')
    const handler = wrapStream(() => body).use({
      cleanup: () => {
        cleaned = true
      },
    })
    const capture = captureStream()
    // Act
    const outcome = handler({}, capture.out, createContext({ timeoutMs: 50 }))
    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'TimeoutError' })
    expect([capture.text(), body.destroyed, cleaned]).toEqual(['partial', true, true])
  })

  it('gives up an async iterable at the deadline (its finally runs)', async () => {
    let finished = false
    let release: () => void = () => undefined
    const body = (async function* () {
      try {
        yield 'a'
        await new Promise<void>((resolve) => {
          release = resolve
        })
        yield 'b'
      } finally {
        finished = true
      }
    })()
    const handler = wrapStream(() => body)
    const capture = captureStream()
    await expect(handler({}, capture.out, createContext({ timeoutMs: 50 }))).rejects.toMatchObject({
      name: 'TimeoutError',
    })
    release()
    await new Promise((resolve) => setImmediate(resolve))
    expect([capture.text(), finished]).toEqual(['a', true])
  })

  it('cancels a web stream at the deadline', async () => {
    let cancelled: unknown
    const body = new ReadableStream<string>({
      start: (controller) => controller.enqueue('a'),
      cancel: (reason) => {
        cancelled = reason
      },
    })
    const handler = wrapStream(() => body)
    const capture = captureStream()
    await expect(handler({}, capture.out, createContext({ timeoutMs: 50 }))).rejects.toMatchObject({
      name: 'TimeoutError',
    })
    expect((cancelled as Error).name).toBe('TimeoutError')
  })

  it('gives up a web stream whose cancel itself fails, without an unhandled rejection', async () => {
    let asked = 0
    const body = new ReadableStream<string>({
      start: (controller) => controller.enqueue('a'),
      cancel: () => {
        asked++
        throw new Error('cannot cancel')
      },
    })
    const capture = captureStream()
    await expect(wrapStream(() => body)({}, capture.out, createContext({ timeoutMs: 50 }))).rejects.toMatchObject({
      name: 'TimeoutError',
    })
    expect(asked).toBe(1)
  })

  it('does not start a body when the deadline has passed', async () => {
    let pulled = 0
    const body = (async function* () {
      pulled++
      yield 'never'
    })()
    const handler = wrapStream(() => body)
    const capture = captureStream()
    await expect(handler({}, capture.out, createContext({ timeoutMs: 0 }))).rejects.toMatchObject({
      name: 'TimeoutError',
    })
    expect([pulled, capture.bytes().byteLength]).toEqual([0, 0])
  })

  it('pulls from the source only as fast as a slow client takes it', async () => {
    // Prepare: count chunks made and chunks the client has taken
    let made = 0
    let lead = 0
    const capture = captureStream({ highWaterMark: 1024, slow: true })
    const body = (async function* () {
      for (let index = 0; index < 200; index++) {
        made++
        lead = Math.max(lead, made - capture.chunks.length)
        yield 'x'.repeat(512)
      }
    })()
    const handler = wrapStream(() => body)
    // Act
    await handler({}, capture.out, context())
    // Assess: never more than the stream's small buffer ahead of the client
    expect(capture.bytes().byteLength).toBe(200 * 512)
    expect(lead).toBeLessThanOrEqual(4)
  })
})

describe('wrapStream inside Lambda (the awslambda global)', () => {
  afterEach(() => {
    delete (globalThis as { awslambda?: unknown }).awslambda
  })

  it('is wrapped by awslambda.streamifyResponse and frames HTTP answers with HttpResponseStream.from', async () => {
    // Prepare: the runtime's global, recording what it was asked
    const streamified: unknown[] = []
    const preludes: unknown[] = []
    ;(globalThis as { awslambda?: unknown }).awslambda = {
      streamifyResponse: (fn: unknown) => {
        streamified.push(fn)
        return fn
      },
      HttpResponseStream: {
        from: (out: { write(chunk: unknown): boolean }, prelude: unknown) => {
          preludes.push(prelude)
          out.write(`[${JSON.stringify(prelude)}]`)
          return out
        },
      },
    }
    const handler = wrapStream(() => ({ statusCode: 200, body: 'hi' }))
    const capture = captureStream()
    // Act
    await handler({}, capture.out, context())
    // Assess
    expect(streamified).toEqual([handler])
    expect(preludes).toEqual([{ statusCode: 200 }])
    expect(capture.text()).toBe('[{"statusCode":200}]hi')
  })
})

it('leaves wrap() as it was: a buffered chain answers with the value', async () => {
  const handler = wrap(() => 'buffered')
  expect(await handler({}, context())).toBe('buffered')
})
