import type { HttpEventSource } from '@lamina/core'
import { statusText } from './http-error.js'

/** The response object each HTTP source expects from a Lambda function. */
export interface HttpErrorResponse {
  statusCode: number
  statusDescription?: string
  headers?: Record<string, string>
  multiValueHeaders?: Record<string, string[]>
  body: string
  isBase64Encoded?: boolean
}

// An ALB target group with multi-value headers on sends `multiValueHeaders` and ignores a
// `headers` field in the response, so answer in the form the event came in.
const usesMultiValueHeaders = (event: unknown) =>
  typeof event === 'object' &&
  event !== null &&
  'multiValueHeaders' in event &&
  (event as { headers?: unknown }).headers === undefined

export function shapeResponse(
  source: HttpEventSource,
  rawEvent: unknown,
  status: number,
  headers: Record<string, string>,
  body: string,
): HttpErrorResponse {
  switch (source) {
    case 'alb': {
      const response: HttpErrorResponse = {
        statusCode: status,
        statusDescription: `${status} ${statusText(status)}`,
        body,
        isBase64Encoded: false,
      }
      if (usesMultiValueHeaders(rawEvent)) {
        response.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]))
      } else response.headers = headers
      return response
    }
    case 'api-gateway-v1':
      return { statusCode: status, headers, body, isBase64Encoded: false }
    default:
      // API Gateway HTTP API (v2) and function URLs.
      return { statusCode: status, headers, body }
  }
}
