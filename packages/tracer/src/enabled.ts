/**
 * Whether Powertools' Tracer would trace here, decided from the environment alone so that the
 * X-Ray SDK is never imported to find out. The rules are Powertools': off with
 * `POWERTOOLS_TRACE_ENABLED=false`, outside Lambda (`AWS_EXECUTION_ENV` unset), under SAM local
 * and under the Amplify mock.
 */
export function tracingEnabledByEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() === 'false') return false
  const executionEnv = env.AWS_EXECUTION_ENV ?? ''
  if (executionEnv === '' || executionEnv === 'AWS_Lambda_amplify-mock') return false
  return (env.AWS_SAM_LOCAL ?? '') === ''
}
