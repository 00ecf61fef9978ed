import { batch, type DynamoDBChange } from '@lamina/batch'
import { createContext, events } from '@lamina/testing'
import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { collectingLogger, failedIds } from './helpers.js'

const context = () => createContext({ timeoutMs: 60_000 })

describe('batch() on Kinesis', () => {
  it('decodes base64 data, validates it and reports failures by sequence number', async () => {
    // Prepare
    const seen: number[] = []
    const handler = batch({
      source: 'kinesis',
      schema: z.object({ reading: z.number() }),
      logger: collectingLogger(),
      record: ({ reading }) => {
        if (reading < 0) throw new Error('negative reading')
        seen.push(reading)
      },
    })
    const event = events.kinesis([{ reading: 1 }, { reading: -1 }, { reading: 'x' }, { reading: 3 }])

    // Act
    const response = await handler(event, context())

    // Assess
    expect(seen.sort()).toEqual([1, 3])
    expect(failedIds(response)).toEqual(
      [event.Records[1]?.kinesis.sequenceNumber, event.Records[2]?.kinesis.sequenceNumber].sort(),
    )
  })

  it('fails a record whose data is not UTF-8 text, without failing the others', async () => {
    // Prepare
    const logger = collectingLogger()
    const handler = batch({ payload: 'text', logger, record: () => undefined })
    const event = events.kinesis(['fine', 'also fine'])
    const broken = event.Records[0]!
    broken.kinesis.data = Buffer.from([0xff, 0xfe, 0xfd]).toString('base64')

    // Act
    const response = await handler(event, context())

    // Assess
    expect(failedIds(response)).toEqual([broken.kinesis.sequenceNumber])
    expect(logger.lines[0]?.fields.error.message).toMatch(/not UTF-8 text/)
  })
})

describe('batch() on DynamoDB Streams', () => {
  it('gives the schema the images as plain objects and reports failures by SequenceNumber', async () => {
    // Prepare
    const changes: unknown[] = []
    const handler = batch({
      source: 'dynamodb',
      schema: z.object({ eventName: z.literal('INSERT'), newImage: z.object({ id: z.string(), total: z.number() }) }),
      logger: collectingLogger(),
      record: (change) => void changes.push(change),
    })
    const event = events.dynamodbStream([
      { id: { S: 'o-1' }, total: { N: '12.5' } },
      { id: { S: 'o-2' }, total: { S: 'not a number' } },
    ])

    // Act
    const response = await handler(event, context())

    // Assess
    expect(changes).toEqual([{ eventName: 'INSERT', newImage: { id: 'o-1', total: 12.5 } }])
    expect(failedIds(response)).toEqual([event.Records[1]?.dynamodb?.SequenceNumber])
  })

  it('without a schema, passes keys, new and old images unmarshalled', async () => {
    // Prepare
    const changes: DynamoDBChange[] = []
    const handler = batch({ source: 'dynamodb', record: (change) => void changes.push(change) })
    const event = events.dynamodbStream([{ id: { S: 'o-1' }, tags: { SS: ['a'] } }])
    const record = event.Records[0]!
    record.eventName = 'MODIFY'
    record.dynamodb!.OldImage = { id: { S: 'o-1' }, tags: { NULL: true } }

    // Act
    await handler(event, context())

    // Assess
    expect(changes).toEqual([
      {
        eventName: 'MODIFY',
        keys: { id: 'o-1' },
        newImage: { id: 'o-1', tags: new Set(['a']) },
        oldImage: { id: 'o-1', tags: null },
      },
    ])
  })

  it('gives a REMOVE only its keys and old image, and a record without stream data empty keys', async () => {
    // Prepare
    const changes: DynamoDBChange[] = []
    const handler = batch({ source: 'dynamodb', record: (change) => void changes.push(change) })
    const event = events.dynamodbStream([{ id: { S: 'gone' } }, { id: { S: 'odd' } }])
    const [removed, bare] = event.Records as [(typeof event.Records)[0], (typeof event.Records)[0]]
    removed.eventName = 'REMOVE'
    removed.dynamodb = { ...removed.dynamodb, OldImage: { id: { S: 'gone' } } }
    delete removed.dynamodb.NewImage
    const { dynamodb: _, ...withoutStream } = bare
    event.Records[1] = withoutStream

    // Act
    await handler(event, context())

    // Assess
    expect(changes).toHaveLength(2)
    expect(changes).toEqual(
      expect.arrayContaining([
        { eventName: 'REMOVE', keys: { id: 'gone' }, oldImage: { id: 'gone' } },
        { eventName: 'INSERT', keys: {} },
      ]),
    )
  })

  it('fails a record whose image unmarshall refuses (an attribute type it does not know) as invalid', async () => {
    // Prepare
    const logger = collectingLogger()
    const handler = batch({ source: 'dynamodb', logger, throwOnFullBatchFailure: false, record: () => undefined })
    const event = events.dynamodbStream([{ id: { S: 'o-1' }, odd: { Q: '1' } as never }])

    // Act
    const response = await handler(event, context())

    // Assess
    expect(failedIds(response)).toEqual([event.Records[0]?.dynamodb?.SequenceNumber])
    expect(logger.lines[0]).toMatchObject({ message: 'Batch record is invalid' })
    expect(logger.lines[0]?.fields.error.message).toMatch(/could not be read as plain values/)
  })

  it('throws a batch-level error that names the package when @aws-sdk/util-dynamodb cannot be loaded', async () => {
    // Prepare
    vi.resetModules()
    vi.doMock('@aws-sdk/util-dynamodb', () => {
      throw new Error('Cannot find module')
    })
    const { batch: isolated } = await import('../src/index.js')
    const logger = collectingLogger()
    const handler = isolated({ source: 'dynamodb', logger, throwOnFullBatchFailure: false, record: () => undefined })

    // Act
    await handler(events.dynamodbStream([{ id: { S: '1' } }]), context())

    // Assess
    expect(logger.lines[0]?.fields.error.message).toMatch(/npm i @aws-sdk\/util-dynamodb/)
    vi.doUnmock('@aws-sdk/util-dynamodb')
    vi.resetModules()
  })
})
