import { batch } from '@lamina/batch'
import { describe, expect, it } from 'vitest'

const record = () => undefined

describe('batch() options, checked at init', () => {
  it.each([
    ['no options', undefined, 'takes an options object'],
    ['an array', [], 'got an array'],
    ['an unknown option', { record, retries: 3 }, 'there is no option "retries"'],
    ['no record function', { schema: undefined }, 'record must be the function'],
    ['a schema that is not a Standard Schema', { record, schema: { parse() {} } }, 'schema must be a Standard Schema'],
    ['an unknown source', { record, source: 'sns' }, "source must be 'sqs', 'kinesis' or 'dynamodb'"],
    ['an unknown payload format', { record, payload: 'xml' }, "payload must be 'json' or 'text'"],
    ['a negative margin', { record, marginMs: -1 }, 'marginMs must be a number of milliseconds'],
    ['a margin that is not a number', { record, marginMs: '1s' }, 'got the string "1s"'],
    [
      'a non-boolean throwOnFullBatchFailure',
      { record, throwOnFullBatchFailure: 'yes' },
      'throwOnFullBatchFailure must be true or false',
    ],
    ['a logger without error()', { record, logger: { warn() {} } }, 'logger must have warn() and error()'],
    ['concurrency 0', { record, concurrency: 0 }, 'concurrency must be a whole number'],
    ['fractional concurrency', { record, concurrency: 1.5 }, 'got 1.5'],
    ['concurrency as text', { record, concurrency: '4' }, 'got the string "4"'],
    ['concurrency with fifo', { record, concurrency: 2, fifo: true }, 'concurrency has no meaning with fifo'],
    ['fifo that is a string', { record, fifo: 'yes' }, 'fifo must be true, false or { skipGroupOnError: true }'],
    [
      'fifo.skipGroupOnError not a boolean',
      { record, fifo: { skipGroupOnError: 1 } },
      'fifo.skipGroupOnError must be true or false',
    ],
    ['fifo on a stream', { record, source: 'kinesis', fifo: {} }, 'fifo is for SQS FIFO queues, not kinesis'],
    ['null', null, 'got null'],
  ])('refuses %s with a message naming the fix', (_name, options, message) => {
    // Act
    const make = () => batch(options as never)

    // Assess
    expect(make).toThrow(TypeError)
    expect(make).toThrow(message)
  })

  it('accepts every documented option', () => {
    // Act
    const make = () =>
      batch({
        record,
        source: 'sqs',
        payload: 'text',
        concurrency: Number.POSITIVE_INFINITY,
        fifo: false,
        throwOnFullBatchFailure: false,
        marginMs: 0,
        logger: console,
      })

    // Assess
    expect(make).not.toThrow()
  })
})
