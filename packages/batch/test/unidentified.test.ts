import { batch, UnidentifiedRecordError } from '@lamina/batch'
import { createContext, events } from '@lamina/testing'
import { describe, expect, it } from 'vitest'
import { collectingLogger } from './helpers.js'

const fail = () => {
  throw new Error('failed')
}

describe('a failed record without an identifier', () => {
  it('throws the batch back instead of reporting an empty id (SQS)', async () => {
    // Prepare
    const handler = batch({ logger: collectingLogger(), record: fail })
    const event = events.sqs([{}, {}])
    event.Records[1]!.messageId = ''

    // Act
    const outcome = handler(event, createContext())

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(UnidentifiedRecordError)
    await expect(outcome).rejects.toThrow('Record 1 failed and has no message id or sequence number')
  })

  it('throws the batch back instead of dropping the failure (DynamoDB, which Powertools would skip)', async () => {
    // Prepare
    const handler = batch({ logger: collectingLogger(), record: fail })
    const event = events.dynamodbStream([{ id: { S: '1' } }, { id: { S: '2' } }])
    delete event.Records[0]!.dynamodb!.SequenceNumber

    // Act
    const outcome = handler(event, createContext())

    // Assess
    await expect(outcome).rejects.toThrow(UnidentifiedRecordError)
  })

  it('passes an empty itemIdentifier to a record that succeeds without one', async () => {
    // Prepare
    const identifiers: string[] = []
    const handler = batch({ record: (_payload, meta) => void identifiers.push(meta.itemIdentifier) })
    const event = events.kinesis([{}])
    event.Records[0]!.kinesis.sequenceNumber = undefined as never

    // Act
    await handler(event, createContext())

    // Assess
    expect(identifiers).toEqual([''])
  })
})
