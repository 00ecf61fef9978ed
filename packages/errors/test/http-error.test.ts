import * as errors from '@lamina/errors'
import { createHttpError, HttpError, isHttpError, NotFound, statusText, TooManyRequests } from '@lamina/errors'
import { hostileValues } from '@lamina/testing'
import { describe, expect, it } from 'vitest'

describe('HttpError', () => {
  it('carries status, statusCode, a default message and expose for a 4xx', () => {
    const error = new HttpError(404)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ status: 404, statusCode: 404, message: 'Not Found', expose: true, name: 'HttpError' })
    expect(error.headers).toBeUndefined()
  })

  it('does not expose a 5xx by default, and keeps headers and cause', () => {
    const cause = new Error('connection reset')
    const error = new HttpError(503, 'Database down', { headers: { 'Retry-After': '30' }, cause })
    expect(error.expose).toBe(false)
    expect(error.headers).toEqual({ 'Retry-After': '30' })
    expect(error.cause).toBe(cause)
  })

  it('lets the thrower decide expose', () => {
    expect(new HttpError(400, 'x', { expose: false }).expose).toBe(false)
  })

  it.each([200, 399, 600, 404.5, Number.NaN])(
    'rejects status %s with a RangeError that says what is allowed',
    (status) => {
      expect(() => new HttpError(status)).toThrow(/integer from 400 to 599/)
    },
  )
})

describe('createHttpError', () => {
  it('builds the same HttpError', () => {
    const error = createHttpError(409, 'Order already paid', { headers: { etag: '"v2"' } })
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ status: 409, message: 'Order already paid', headers: { etag: '"v2"' } })
    expect(isHttpError(error)).toBe(true)
    expect(isHttpError(new Error('x'))).toBe(false)
  })

  it('recognises an HttpError from another copy of the package, and never throws on hostile values', () => {
    // Prepare: another copy's error is another class carrying the same Symbol.for brand
    const brand: unique symbol = Symbol.for('lamina.HttpError') as never
    class OtherCopyHttpError extends Error {
      readonly [brand] = true
      readonly statusCode = 404
    }
    const lookalike = Object.assign(new Error('x'), { status: 404, statusCode: 404, name: 'HttpError' })

    // Act / Assess
    expect(isHttpError(new OtherCopyHttpError('gone'))).toBe(true)
    expect(isHttpError(lookalike)).toBe(false)
    for (const { value } of hostileValues()) expect(isHttpError(value)).toBe(false)
  })
})

describe('named errors', () => {
  const named: [string, number][] = [
    ['BadRequest', 400],
    ['Unauthorized', 401],
    ['Forbidden', 403],
    ['NotFound', 404],
    ['MethodNotAllowed', 405],
    ['Conflict', 409],
    ['Gone', 410],
    ['PayloadTooLarge', 413],
    ['UnsupportedMediaType', 415],
    ['UnprocessableEntity', 422],
    ['TooManyRequests', 429],
    ['InternalServerError', 500],
    ['NotImplemented', 501],
    ['BadGateway', 502],
    ['ServiceUnavailable', 503],
    ['GatewayTimeout', 504],
  ]

  it.each(named)('%s has status %i, its name, and the reason phrase as default message', (name, status) => {
    const ErrorClass = (errors as unknown as Record<string, new (message?: string) => HttpError>)[name]
    if (ErrorClass === undefined) throw new Error(`${name} is not exported`)
    const error = new ErrorClass()
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ name, status, message: statusText(status), expose: status < 500 })
  })

  it('take a message and options', () => {
    const error = new TooManyRequests('Slow down', { headers: { 'Retry-After': '5' } })
    expect(error).toMatchObject({ message: 'Slow down', headers: { 'Retry-After': '5' } })
    expect(new NotFound('No such order')).toBeInstanceOf(NotFound)
  })
})

describe('statusText', () => {
  it('names known codes and falls back for unknown ones', () => {
    expect(statusText(418)).toBe("I'm a Teapot")
    expect(statusText(499)).toBe('Error')
  })
})
