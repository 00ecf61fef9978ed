// The environment Lambda gives a function's process.
import { randomBytes } from 'node:crypto'
import { basename } from 'node:path'
import { parseHandlerName } from './handler-loader.js'

/** Variables taken over from the parent process: tools, credentials, endpoints (as a developer has them). */
const inherited =
  /^(PATH|HOME|TMPDIR|TEMP|TMP|LANG|SYSTEMROOT|NODE_EXTRA_CA_CERTS|AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|CONFIG_FILE|SHARED_CREDENTIALS_FILE|ENDPOINT_URL.*|SDK_JS_.*))$/

export interface EnvironmentOptions {
  handler: string
  taskRoot: string
  runtimeApi: string
  functionName: string
  memoryMb: number
  concurrency: number
  region: string
  env: Record<string, string>
}

export const defaultFunctionName = (handler: string) =>
  basename(parseHandlerName(handler).modulePath).replace(/[^A-Za-z0-9_-]/g, '-') || 'function'

/** A log stream name as Lambda makes one: `YYYY/MM/DD/[$LATEST]<32 hex digits>`. */
export function logStreamName(now = new Date()) {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/')
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`
}

export function lambdaEnvironment(options: EnvironmentOptions): Record<string, string> {
  const parent = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => inherited.test(entry[0]) && entry[1] !== undefined,
    ),
  )
  const managed = options.concurrency > 1
  return {
    ...parent,
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(),
    AWS_LAMBDA_INITIALIZATION_TYPE: managed ? 'lambda-managed-instances' : 'on-demand',
    AWS_LAMBDA_RUNTIME_API: options.runtimeApi,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    LAMBDA_TASK_ROOT: options.taskRoot,
    LAMBDA_RUNTIME_DIR: options.taskRoot,
    _HANDLER: options.handler,
    TZ: 'UTC',
    ...(managed ? { AWS_LAMBDA_MAX_CONCURRENCY: String(options.concurrency) } : {}),
    ...options.env,
  }
}
