// Whatever a handler throws, errorMapper answers HTTP sources with a well-formed 500 (or the
// status it could read safely) and never throws itself; other sources get the value back as is.
import { wrap } from '@lamina/core'
import { describeError, errorMapper } from '@lamina/errors'
import { createContext, events, type HttpAnswer, hostileValues, httpSources } from '@lamina/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

function failing(thrown: unknown) {
  return wrap<unknown>()
    .use(errorMapper())
    .handler(async () => {
      throw thrown
    })
}

const generic500 = {
  status: 500,
  message: 'Internal Server Error',
  exposed: false,
  headers: undefined,
  issues: undefined,
}

describe.each(httpSources)('errorMapper on $name, given a value it cannot read safely', ({ factory }) => {
  it.each(hostileValues())('answers $name with a generic 500 and the request id', async ({ value }) => {
    // Prepare
    const context = createContext()
    // Act
    const response = (await failing(value)(factory(), context)) as HttpAnswer
    // Assess
    expect(response.statusCode).toBe(500)
    expect(response.headers?.['content-type']).toBe('application/json')
    expect(JSON.parse(response.body)).toEqual({ message: 'Internal Server Error', requestId: context.awsRequestId })
  })
})

describe('errorMapper on a source that is not HTTP, given a value it cannot read safely', () => {
  it.each(hostileValues())('rethrows $name itself', async ({ value }) => {
    const outcome = failing(value)(events.sqs([{ id: 1 }]), createContext())
    await expect(outcome).rejects.toBe(value)
  })
})

describe('describeError', () => {
  it.each(hostileValues())('describes $name as a generic 500 without throwing', ({ value }) => {
    expect(describeError(value)).toEqual(generic500)
  })

  it('reads each property once, so a getter cannot pass one check and then return something else', () => {
    // Prepare: a message that is a string when checked and an object of internals when read again.
    let reads = 0
    const shifty = {
      statusCode: 400,
      expose: true,
      get message() {
        reads++
        return reads === 1 ? 'Bad input' : { password: 's3cr3t' }
      },
    }
    // Act
    const view = describeError(shifty)
    // Assess
    expect(view).toMatchObject({ status: 400, message: 'Bad input', exposed: true })
    expect(reads).toBe(1)
  })

  it('gives any value a status from 400 to 599, and a 5xx only the reason phrase', () => {
    // Hostile values are picked by index inside the property: fast-check itself cannot inspect them.
    const hostileCount = hostileValues().length
    const anyValue = fc.oneof(
      fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withBigInt: true }),
      fc.record({
        statusCode: fc.oneof(fc.integer({ min: 100, max: 700 }), fc.anything()),
        expose: fc.oneof(fc.boolean(), fc.anything()),
        message: fc.anything(),
        headers: fc.anything(),
        issues: fc.anything(),
      }),
    )
    fc.assert(
      fc.property(
        fc.oneof(fc.record({ value: anyValue }), fc.record({ hostile: fc.nat(hostileCount - 1) })),
        (picked) => {
          const value = 'hostile' in picked ? hostileValues()[picked.hostile]?.value : picked.value
          const view = describeError(value)
          expect(view.status).toBeGreaterThanOrEqual(400)
          expect(view.status).toBeLessThanOrEqual(599)
          expect(typeof view.message).toBe('string')
          if (view.status >= 500) expect(view).toMatchObject({ exposed: false, issues: undefined })
          expect(() => JSON.stringify(view)).not.toThrow()
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('keeps the status of a 4xx it can read in full', () => {
    expect(describeError({ statusCode: 404, expose: true, message: 'No such order' })).toMatchObject({
      status: 404,
      message: 'No such order',
    })
  })
})
