import { BatchFailureError } from '@lamina/batch'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { maxObjectBytes } from '../src/limits.js'
import { summaryKey } from '../src/summary.js'
import {
  encodeKeyAsS3,
  failedIds,
  ids,
  objectCreated,
  orderLine,
  type Processing,
  s3TestEvent,
  sqsBatch,
  startProcessing,
} from './processing.js'

let processing: Processing
beforeAll(async () => {
  processing = await startProcessing()
})
afterAll(() => processing.stop())

const goodFile = [
  orderLine('o-1', 'lamina-mug', 2, 1200),
  orderLine('o-2', 'lamina-shirt', 1, 2500),
  '',
  orderLine('o-3', 'lamina-mug', 1, 1200),
].join('\n')

describe('a batch of new orders files', () => {
  test('every object is read through S3, summarised, and written to the output bucket: no failures', async () => {
    // Prepare
    await processing.putObject('orders/good-1.jsonl', goodFile)
    await processing.putObject('orders/good-2.jsonl', orderLine('o-9', 'lamina-sticker', 10, 150))
    const event = sqsBatch([objectCreated('orders/good-1.jsonl'), objectCreated('orders/good-2.jsonl')])
    // Act
    const response = await processing.invoke(event)
    // Assess
    expect(response).toEqual({ batchItemFailures: [] })
    expect(await processing.readSummary('orders/good-1.jsonl')).toEqual({
      source: { bucket: 'inputbucket', key: 'orders/good-1.jsonl' },
      orders: 3,
      units: 4,
      revenueCents: 2 * 1200 + 2500 + 1200,
      bySku: {
        'lamina-mug': { orders: 2, units: 3, revenueCents: 3600 },
        'lamina-shirt': { orders: 1, units: 1, revenueCents: 2500 },
      },
    })
    expect(await processing.readSummary('orders/good-2.jsonl')).toMatchObject({ orders: 1, revenueCents: 1500 })
  })

  test('the summary is written under summaries/, and the run is logged and counted', async () => {
    // Prepare
    await processing.putObject('orders/2026-11-27.jsonl', goodFile)
    const seen = processing.output.records().length
    // Act
    await processing.invoke(sqsBatch([objectCreated('orders/2026-11-27.jsonl')]))
    // Assess
    expect(summaryKey('orders/2026-11-27.jsonl')).toBe('summaries/orders/2026-11-27.json')
    expect(processing.requests).toContain('PUT /outputbucket/summaries/orders/2026-11-27.json')
    const records = processing.output.records().slice(seen)
    expect(records.find((line) => line.message === 'summary written')).toMatchObject({
      level: 'INFO',
      bucket: 'inputbucket',
      key: 'orders/2026-11-27.jsonl',
      output: 'summaries/orders/2026-11-27.json',
      orders: 3,
    })
    expect(records.find((line) => line._aws !== undefined)).toMatchObject({ OrdersSummarised: 3 })
  })

  test("S3's test event is acknowledged and reads nothing", async () => {
    // Prepare
    const before = processing.requests.length
    // Act
    const response = await processing.invoke(sqsBatch([s3TestEvent]))
    // Assess
    expect(response).toEqual({ batchItemFailures: [] })
    expect(processing.requests.slice(before)).toEqual([])
  })

  test('a deletion notification (if one is ever configured) is skipped with a warning, not failed', async () => {
    // Prepare
    const deleted = objectCreated('orders/gone.jsonl')
    ;(deleted.Records[0] as { eventName: string }).eventName = 'ObjectRemoved:Delete'
    const seen = processing.output.records().length
    // Act
    const response = await processing.invoke(sqsBatch([deleted, s3TestEvent]))
    // Assess
    expect(response).toEqual({ batchItemFailures: [] })
    expect(processing.output.records().slice(seen)).toContainEqual(
      expect.objectContaining({ level: 'WARN', eventName: 'ObjectRemoved:Delete' }),
    )
  })
})

describe('records that cannot be processed fail alone', () => {
  test('a malformed object, a missing object and a body that is not an S3 event are the only failures', async () => {
    // Prepare
    await processing.putObject('orders/fine.jsonl', goodFile)
    await processing.putObject('orders/broken.jsonl', `${orderLine('o-1', 'lamina-mug', 1, 1200)}\n{"orderId":`)
    const event = sqsBatch([
      objectCreated('orders/fine.jsonl'),
      objectCreated('orders/broken.jsonl'),
      objectCreated('orders/never-uploaded.jsonl'),
      { hello: 'not from S3' },
      s3TestEvent,
    ])
    const [fine, broken, missing, foreign, test] = event.Records
    const seen = processing.output.records().length
    // Act
    const response = await processing.invoke(event)
    // Assess
    expect(failedIds(response).sort()).toEqual(ids([broken, missing, foreign].map((record) => record!)).sort())
    expect(ids([fine!, test!]).some((id) => failedIds(response).includes(id))).toBe(false)
    expect(await processing.readSummary('orders/fine.jsonl')).toMatchObject({ orders: 3 })
    expect(await processing.readSummary('orders/broken.jsonl')).toBeUndefined()
    const errors = processing.output.records().slice(seen)
    expect(errors.find((line) => line.itemIdentifier === broken?.messageId)).toMatchObject({
      level: 'ERROR',
      message: 'Batch record failed',
      error: expect.objectContaining({
        name: 'MalformedObjectError',
        message: expect.stringContaining('s3://inputbucket/orders/broken.jsonl line 2 is not JSON'),
      }),
    })
  })

  test('an order line that fails the schema names the line and the field', async () => {
    // Prepare
    await processing.putObject('orders/negative.jsonl', orderLine('o-1', 'lamina-mug', -3, 1200))
    const seen = processing.output.records().length
    // Act
    const response = await processing.invoke(
      sqsBatch([objectCreated('orders/negative.jsonl'), objectCreated('orders/fine.jsonl')]),
    )
    // Assess
    expect(response.batchItemFailures).toHaveLength(1)
    const line = processing.output
      .records()
      .slice(seen)
      .find((record) => record.message === 'Batch record failed')
    expect(line?.error.message).toMatch(/orders\/negative\.jsonl line 1 is not an order \(quantity: .*\)/)
  })

  test('an object over the size limit fails its record, naming the limit and the fix', async () => {
    // Prepare
    const line = `${orderLine('o-1', 'lamina-mug', 1, 1200)}\n`
    await processing.putObject('orders/huge.jsonl', line.repeat(Math.ceil((maxObjectBytes + 1) / line.length)))
    const seen = processing.output.records().length
    // Act
    const response = await processing.invoke(sqsBatch([objectCreated('orders/huge.jsonl'), s3TestEvent]))
    // Assess
    expect(response.batchItemFailures).toHaveLength(1)
    const failure = processing.output
      .records()
      .slice(seen)
      .find((record) => record.message === 'Batch record failed')
    expect(failure?.error.message).toMatch(
      /orders\/huge\.jsonl is \d+ bytes, over 10485760: split it into smaller files\.$/,
    )
  })

  test('every record failing throws BatchFailureError, so Lambda returns the whole batch to the queue', async () => {
    // Prepare
    const event = sqsBatch([objectCreated('orders/missing-1.jsonl'), objectCreated('orders/missing-2.jsonl')])
    // Act
    const outcome = processing.invoke(event)
    // Assess
    await expect(outcome).rejects.toBeInstanceOf(BatchFailureError)
  })

  test('property: in any mix of good and bad records, exactly the bad ones are reported', async () => {
    // Prepare: a fresh key per record, so every run reads its own objects.
    let serial = 0
    const goodKinds = ['orders file', 'S3 test event'] as const
    const badKinds = ['malformed file', 'missing object', 'not JSON', 'not an S3 event'] as const
    const kind = fc.constantFrom(...goodKinds, ...badKinds)
    await fc.assert(
      fc.asyncProperty(fc.array(kind, { minLength: 1, maxLength: 10 }), async (kinds) => {
        const bodies: unknown[] = []
        const goodKeys: string[] = []
        const badKeys: string[] = []
        for (const chosen of kinds) {
          const key = `orders/mixed/${++serial}.jsonl`
          if (chosen === 'orders file') {
            await processing.putObject(key, orderLine(`o-${serial}`, 'lamina-mug', serial, 100))
            goodKeys.push(key)
            bodies.push(objectCreated(key))
          } else if (chosen === 'malformed file') {
            await processing.putObject(key, `{"orderId":"o-${serial}"}`)
            badKeys.push(key)
            bodies.push(objectCreated(key))
          } else if (chosen === 'missing object') {
            badKeys.push(key)
            bodies.push(objectCreated(key))
          } else if (chosen === 'not JSON') bodies.push(`<xml>${serial}</xml>`)
          else if (chosen === 'not an S3 event') bodies.push({ Records: [{ eventSource: 'aws:sqs' }] })
          else bodies.push(s3TestEvent)
        }
        const event = sqsBatch(bodies)
        const bad = ids(event.Records.filter((_, index) => !(goodKinds as readonly string[]).includes(kinds[index]!)))

        // Act
        const failed = await processing.invoke(event).then(failedIds, (error: unknown) => {
          // Every record failed: Lambda gets an error and the whole batch returns.
          if (!(error instanceof BatchFailureError)) throw error
          return ids(event.Records)
        })

        // Assess
        expect(failed.sort()).toEqual(bad.sort())
        for (const key of goodKeys) expect(await processing.readSummary(key)).toMatchObject({ orders: 1 })
        for (const key of badKeys) expect(await processing.readSummary(key)).toBeUndefined()
      }),
      { numRuns: 25 },
    )
  })
})

describe('object keys as S3 encodes them in events', () => {
  const keyCharacter = fc.constantFrom(
    ...'abcXYZ019 +%&=()!*\'~-_.,;:@$?#[]{}"<>|^`\\éü日本語🙂'.match(/./gu)!,
    'a b', // two spaces apart, twice as likely
  )
  const segment = fc
    .array(keyCharacter, { minLength: 1, maxLength: 12 })
    .map((parts) => parts.join(''))
    .filter((part) => part !== '.' && part !== '..')
  const key = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => `orders/${parts.join('/')}.jsonl`)

  test('property: any key, encoded as S3 encodes it (marks encoded or not), reads its object and names it decoded', async () => {
    await fc.assert(
      fc.asyncProperty(key, fc.func(fc.boolean()), async (inputKey, encodeMark) => {
        // Prepare
        await processing.putObject(inputKey, orderLine('o-1', 'lamina-mug', 1, 1200))
        const rawKey = encodeKeyAsS3(inputKey, (index) => encodeMark(index))
        // Act
        const response = await processing.invoke(sqsBatch([objectCreated(inputKey, { rawKey })]))
        // Assess
        expect(response).toEqual({ batchItemFailures: [] })
        expect((await processing.readSummary(inputKey))?.source).toEqual({ bucket: 'inputbucket', key: inputKey })
      }),
      { numRuns: 30 },
    )
  })

  test('a space arrives as +, and a literal + as %2B', () => {
    expect(encodeKeyAsS3('orders/store 7/a+b.jsonl')).toBe('orders/store+7/a%2Bb.jsonl')
  })
})
