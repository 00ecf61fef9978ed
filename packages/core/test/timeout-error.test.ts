import { isTimeoutError, TimeoutError } from '@lamina/core'
import { hostileValues } from '@lamina/testing'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

describe('TimeoutError', () => {
  test('says what happened and what to do, and answers 504', () => {
    const error = new TimeoutError()
    expect(error.message).toBe('Timed out: raise the function timeout or make the work faster.')
    expect(error.name).toBe('TimeoutError')
    expect(error.statusCode).toBe(504)
    expect(new TimeoutError('custom', { cause: 'why' })).toMatchObject({ message: 'custom', cause: 'why' })
  })
})

describe('isTimeoutError', () => {
  test('knows core’s TimeoutError, and another copy’s by its shape', () => {
    class OtherCopysTimeoutError extends Error {
      override readonly name = 'TimeoutError'
      readonly statusCode = 504
    }
    expect(isTimeoutError(new TimeoutError())).toBe(true)
    expect(isTimeoutError(new OtherCopysTimeoutError())).toBe(true)
  })

  test('refuses lookalikes that are not Errors, or not a 504, or not named so', () => {
    expect(isTimeoutError({ name: 'TimeoutError', statusCode: 504 })).toBe(false)
    expect(isTimeoutError(Object.assign(new Error('x'), { name: 'TimeoutError', statusCode: 500 }))).toBe(false)
    expect(isTimeoutError(Object.assign(new Error('x'), { statusCode: 504 }))).toBe(false)
  })

  test.each(hostileValues().map(({ name, value }) => [name, value] as const))('never throws for %s', (_name, value) => {
    expect(isTimeoutError(value)).toBe(false)
  })

  test('property: false for any value that is not an Error', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(isTimeoutError(value)).toBe(false)
      }),
    )
  })
})
