// Runs a Lambda bundle in its own process as the runtime would: one import (init), then each
// invocation in turn with a Lambda context whose deadline is `remainingMs` away. Writes what
// each invocation returned (or threw) to a JSON file; stdout and stderr are the function's logs.
// The context comes from @lamina/testing's build; the bundle keeps its own copy of core.
import { readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { createContext } from '@lamina/testing'

const [bundle, invocationsFile, resultsFile] = process.argv.slice(2)
const invocations = JSON.parse(readFileSync(invocationsFile, 'utf8'))
const { handler } = await import(pathToFileURL(bundle).href)
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bundle'

const results = []
for (const { event, remainingMs } of invocations) {
  const context = createContext({ functionName, timeoutMs: remainingMs })
  try {
    results.push({ response: await handler(event, context) })
  } catch (error) {
    results.push({ thrown: String(error?.stack ?? error) })
  }
}
writeFileSync(resultsFile, JSON.stringify(results))
