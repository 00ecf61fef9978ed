import { HttpError, type HttpErrorOptions } from './http-error.js'

// One class per common status, so `throw new NotFound('no such order')` reads well and
// `error instanceof NotFound` works. Each name matches its reason phrase.

export class BadRequest extends HttpError {
  override name = 'BadRequest'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(400, message, options)
  }
}

export class Unauthorized extends HttpError {
  override name = 'Unauthorized'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(401, message, options)
  }
}

export class Forbidden extends HttpError {
  override name = 'Forbidden'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(403, message, options)
  }
}

export class NotFound extends HttpError {
  override name = 'NotFound'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(404, message, options)
  }
}

export class MethodNotAllowed extends HttpError {
  override name = 'MethodNotAllowed'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(405, message, options)
  }
}

export class Conflict extends HttpError {
  override name = 'Conflict'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(409, message, options)
  }
}

export class Gone extends HttpError {
  override name = 'Gone'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(410, message, options)
  }
}

export class PayloadTooLarge extends HttpError {
  override name = 'PayloadTooLarge'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(413, message, options)
  }
}

export class UnsupportedMediaType extends HttpError {
  override name = 'UnsupportedMediaType'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(415, message, options)
  }
}

export class UnprocessableEntity extends HttpError {
  override name = 'UnprocessableEntity'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(422, message, options)
  }
}

export class TooManyRequests extends HttpError {
  override name = 'TooManyRequests'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(429, message, options)
  }
}

export class InternalServerError extends HttpError {
  override name = 'InternalServerError'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(500, message, options)
  }
}

export class NotImplemented extends HttpError {
  override name = 'NotImplemented'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(501, message, options)
  }
}

export class BadGateway extends HttpError {
  override name = 'BadGateway'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(502, message, options)
  }
}

export class ServiceUnavailable extends HttpError {
  override name = 'ServiceUnavailable'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(503, message, options)
  }
}

export class GatewayTimeout extends HttpError {
  override name = 'GatewayTimeout'
  constructor(message?: string, options?: HttpErrorOptions) {
    super(504, message, options)
  }
}
