export type { ClientIssue, ErrorView } from './describe-error.js'
export { describeError } from './describe-error.js'
export type { ErrorMapperOptions } from './error-mapper.js'
export { errorMapper } from './error-mapper.js'
export type { HttpErrorOptions } from './http-error.js'
export { createHttpError, HttpError, isHttpError, statusText } from './http-error.js'
export type { HttpErrorResponse } from './http-response.js'
export {
  BadGateway,
  BadRequest,
  Conflict,
  Forbidden,
  GatewayTimeout,
  Gone,
  InternalServerError,
  MethodNotAllowed,
  NotFound,
  NotImplemented,
  PayloadTooLarge,
  ServiceUnavailable,
  TooManyRequests,
  Unauthorized,
  UnprocessableEntity,
  UnsupportedMediaType,
} from './named-errors.js'
