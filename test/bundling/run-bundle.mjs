// Runs a Lambda bundle in its own process as the runtime would: one import (init), then each
// invocation in turn with a hand-made context whose deadline is `remainingMs` away. Writes what
// each invocation returned (or threw) to a JSON file; stdout and stderr are the function's logs.
import { randomUUID } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const [bundle, invocationsFile, resultsFile] = process.argv.slice(2)
const invocations = JSON.parse(readFileSync(invocationsFile, 'utf8'))
const { handler } = await import(pathToFileURL(bundle).href)
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bundle'

const results = []
for (const { event, remainingMs } of invocations) {
  const deadline = Date.now() + remainingMs
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/01/01/[$LATEST]00000000000000000000000000000000',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  }
  try {
    results.push({ response: await handler(event, context) })
  } catch (error) {
    results.push({ thrown: String(error?.stack ?? error) })
  }
}
writeFileSync(resultsFile, JSON.stringify(results))
