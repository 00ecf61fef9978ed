import { contentTypeOf, type HttpEventFields, headersOf, parseForm } from './http-input.js'
import { parseJsonSafely } from './safe-parse.js'
import { inputError, type ValidationError } from './validation-error.js'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** How one validator reads bodies: fixed when the middleware is made, the same for every request. */
export interface BodyRules {
  maxBodyBytes: number
  /** Whether `application/x-www-form-urlencoded` is parsed; otherwise it gets 415. */
  form: boolean
  /** "application/json (or a +json type)[ or application/x-www-form-urlencoded]", for 415 messages. */
  accepted: string
}

export function bodyRules(maxBodyBytes: number, form: boolean): BodyRules {
  const accepted = `application/json (or a +json type)${form ? ' or application/x-www-form-urlencoded' : ''}`
  return { maxBodyBytes, form, accepted }
}

type BodyKind = 'json' | 'form'

function kindOf(contentType: string | undefined, rules: BodyRules): BodyKind {
  if (contentType === undefined) {
    throw inputError(`The request has a body but no Content-Type header; send ${rules.accepted}.`, {
      statusCode: 415,
      parts: ['body'],
    })
  }
  // The common case, without splitting anything.
  if (contentType === 'application/json') return 'json'
  const [mediaType = '', ...parameters] = contentType.split(';')
  const type = mediaType.trim().toLowerCase()
  const charset = parameters
    .map((parameter) => parameter.trim().toLowerCase())
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '')
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
    throw inputError('The request body must be UTF-8 encoded; send it with charset=utf-8.', {
      statusCode: 415,
      parts: ['body'],
    })
  }
  if (type === 'application/json' || /^application\/[^/\s]+\+json$/.test(type)) return 'json'
  // A form is what a cross-site HTML form posts without a CORS preflight: only routes that ask for it.
  if (type === 'application/x-www-form-urlencoded' && rules.form) return 'form'
  // The client's content type is not repeated back: nothing of the input is echoed.
  throw inputError(`Unsupported Content-Type for the request body; this route accepts ${rules.accepted}.`, {
    statusCode: 415,
    parts: ['body'],
  })
}

function tooLarge(maxBodyBytes: number): ValidationError {
  return inputError(`The request body is larger than the ${maxBodyBytes}-byte limit; send a smaller body.`, {
    statusCode: 413,
    parts: ['body'],
  })
}

/** The body's text, after a size check on its decoded bytes (so no huge body is ever parsed). */
function bodyText(body: string, base64: boolean, maxBodyBytes: number): string {
  if (!base64) {
    // Each UTF-16 unit is 1 to 3 UTF-8 bytes, so only the middle band needs an exact count.
    if (body.length > maxBodyBytes) throw tooLarge(maxBodyBytes)
    if (body.length * 3 > maxBodyBytes && Buffer.byteLength(body, 'utf8') > maxBodyBytes) throw tooLarge(maxBodyBytes)
    return body.charCodeAt(0) === 0xfeff ? body.slice(1) : body
  }
  // Four base64 characters make at most three bytes: reject before decoding when that is too many.
  if (Math.floor(body.length / 4) * 3 > maxBodyBytes + 3) throw tooLarge(maxBodyBytes)
  const bytes = Buffer.from(body, 'base64')
  if (bytes.length > maxBodyBytes) throw tooLarge(maxBodyBytes)
  try {
    return utf8.decode(bytes)
  } catch (cause) {
    throw inputError('The request body is not valid UTF-8 text; send UTF-8 encoded JSON or form data.', {
      parts: ['body'],
      cause,
    })
  }
}

/**
 * The parsed body of an HTTP event: `undefined` when there is none, JSON or form fields
 * otherwise. A body that is not a string was parsed by someone else already and is kept.
 */
export function readBody(event: HttpEventFields, rules: BodyRules): unknown {
  const body = event.body
  if (body === undefined || body === null || body === '') return undefined
  if (typeof body !== 'string') return body
  const kind = kindOf(contentTypeOf(headersOf(event)), rules)
  const text = bodyText(body, event.isBase64Encoded === true, rules.maxBodyBytes)
  if (kind === 'form') return parseForm(text)
  try {
    return parseJsonSafely(text)
  } catch (cause) {
    // The parser's own message quotes the input; the client gets a fixed one.
    throw inputError('The request body is not valid JSON; send a JSON document that matches its Content-Type.', {
      parts: ['body'],
      cause,
    })
  }
}
