import { alb, apiGatewayV1, apiGatewayV2, functionUrl, type HttpRequestInput } from './http-events.js'

export type HttpSourceName = 'apiGatewayV1' | 'apiGatewayV2' | 'alb' | 'functionUrl'

export interface HttpSource {
  name: HttpSourceName
  factory: (input?: HttpRequestInput) => object
}

/** The four HTTP sources as `{ name, factory }`, for `describe.each(httpSources)('... on $name', ...)`. */
export const httpSources: readonly HttpSource[] = [
  { name: 'apiGatewayV1', factory: apiGatewayV1 },
  { name: 'apiGatewayV2', factory: apiGatewayV2 },
  { name: 'alb', factory: alb },
  { name: 'functionUrl', factory: functionUrl },
]

/** A Lambda function's answer to an HTTP source, with every field any of the four may carry. */
export interface HttpAnswer {
  statusCode: number
  /** ALB only: `'404 Not Found'`. */
  statusDescription?: string
  headers?: Record<string, string>
  /** ALB target groups with multi-value headers on. */
  multiValueHeaders?: Record<string, string[]>
  body: string
  isBase64Encoded?: boolean
}
