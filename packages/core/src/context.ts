/**
 * The Lambda context as the Node.js runtime passes it. Declared here, structurally, so that
 * core needs no dependency: `Context` from `@types/aws-lambda` is assignable to it.
 */
export interface Context {
  functionName: string
  functionVersion: string
  invokedFunctionArn: string
  memoryLimitInMB: string
  awsRequestId: string
  logGroupName: string
  logStreamName: string
  callbackWaitsForEmptyEventLoop: boolean
  identity?: unknown
  clientContext?: unknown
  tenantId?: string
  getRemainingTimeInMillis(): number
}
