/** The variables the Lambda runtime sets, with values a test can assert on. */
export function lambdaEnvironmentDefaults(functionName = 'lamina-test'): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]00000000000000000000000000000000',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    POWERTOOLS_SERVICE_NAME: 'lamina-test',
  }
}

/**
 * Sets Lambda-like environment variables (defaults above, then `overrides`; an `undefined`
 * override removes the variable) and returns a function that restores the previous values.
 */
export function setLambdaEnvironment(overrides: Record<string, string | undefined> = {}): () => void {
  const wanted = { ...lambdaEnvironmentDefaults(overrides.AWS_LAMBDA_FUNCTION_NAME), ...overrides }
  const previous = new Map<string, string | undefined>()
  for (const [key, value] of Object.entries(wanted)) {
    previous.set(key, process.env[key])
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}
