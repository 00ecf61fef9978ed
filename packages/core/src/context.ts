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
  // `| undefined` as @types/aws-lambda declares them, so its Context fits under exactOptionalPropertyTypes.
  identity?: unknown
  clientContext?: unknown
  tenantId?: string | undefined
  getRemainingTimeInMillis(): number
}
