// The files of the throwaway consumer project the packaging test installs the tarballs into:
// what a team that installs one @lamina package writes, in ESM, CommonJS and TypeScript.

/** Prints `{ [package]: { exports: string[] } | { error } }` for every package, loaded with import(). */
export const importAllScript = (names: string[]) => `
const names = ${JSON.stringify(names)}
const report = {}
for (const name of names) {
  try {
    report[name] = { exports: Object.keys(await import(name)).filter((key) => key !== 'default').sort() }
  } catch (error) {
    report[name] = { error: String(error?.stack ?? error) }
  }
}
console.log(JSON.stringify(report))
`

/** The same, loaded with require(). */
export const requireAllScript = (names: string[]) => `
const names = ${JSON.stringify(names)}
const report = {}
for (const name of names) {
  try {
    report[name] = { exports: Object.keys(require(name)).filter((key) => key !== 'default').sort() }
  } catch (error) {
    report[name] = { error: String(error?.stack ?? error) }
  }
}
console.log(JSON.stringify(report))
`

// A wrapped handler run end to end: a middleware that parses the body, an early answer, an
// error handled in onError, and cleanup; prints what each invocation returned.
const handlerBody = `
const context = createContext()
const parseBody = {
  name: 'parse-body',
  before: (request) => {
    if (request.event.warmup) return 'warm'
    request.event.body = JSON.parse(request.event.body)
  },
  onError: (request) => {
    request.response = { statusCode: 400, body: request.error.message }
  },
  cleanup: (request) => {
    request.internal.cleaned = true
  },
}
const handler = wrap(async (event, ctx, { signal }) => ({
  statusCode: 200,
  body: JSON.stringify({ order: event.body.order, aborted: signal.aborted, requestId: ctx.awsRequestId.length > 0 }),
})).use(parseBody)
const results = [
  await handler(events.apiGatewayV2({ body: { order: 7 } }), context),
  await handler({ warmup: true }, context),
  await handler(events.apiGatewayV2({ body: '{"order":' }), context),
]
console.log(JSON.stringify(results))
`

export const esmHandlerScript = `import { wrap } from '@lamina/core'
import { createContext, events } from '@lamina/testing'
${handlerBody}`

export const cjsHandlerScript = `const { wrap } = require('@lamina/core')
const { createContext, events } = require('@lamina/testing')
;(async () => {
${handlerBody}
})().catch((error) => {
  console.error(error)
  process.exit(1)
})`

// Typed consumers: types must flow through .use() and wrong properties must be errors. Every
// installed package is imported, so each exports map's "types" entry must resolve.
const typedBody = `
type Order = { order: number }
const parseOrder: Middleware<{ event: { body: Order } }> = {
  before: (request) => {
    request.event.body = JSON.parse(request.event.body)
  },
}
export const handler = wrap<APIGatewayProxyEventV2>()
  .use(parseOrder)
  .handler(async (event, context, { signal }) => {
    const order: number = event.body.order
    // @ts-expect-error the parsed body has no 'customer'
    void event.body.customer
    return { statusCode: 200, body: String(order + context.getRemainingTimeInMillis()), aborted: signal.aborted }
  })
// A full HTTP chain, assigned to the handler type from @types/aws-lambda as users annotate exports.
export const api = wrap<APIGatewayProxyEventV2>()
  .use(timeoutGuard())
  .use(errorMapper())
  .handler(async () => ({ statusCode: 200, body: 'ok' }))
export const lambdaHandler: APIGatewayProxyHandlerV2 = api
export const direct = wrap(async (event: { id: string }) => event.id.length)
// @ts-expect-error the wrapped handler takes the raw event
void direct({ id: 1 }, createContext())
export const result: Promise<number> = direct({ id: 'a' }, createContext())
`

const typedImports = `import type { APIGatewayProxyEventV2, APIGatewayProxyHandlerV2 } from 'aws-lambda'
import { type Middleware, wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { timeoutGuard } from '@lamina/timeout'`

export const typedEsmConsumer = (names: string[]) => `${typedImports}
import { createContext } from '@lamina/testing'
${names.map((name, index) => `import * as package${index} from '${name}'`).join('\n')}
export const all = [${names.map((_, index) => `package${index}`).join(', ')}]
${typedBody}`

export const typedCjsConsumer = (names: string[]) => `${typedImports}
import { createContext } from '@lamina/testing'
${names.map((name, index) => `import package${index} = require('${name}')`).join('\n')}
export const all = [${names.map((_, index) => `package${index}`).join(', ')}]
${typedBody}`

/** The consumer's tsconfig, strict, with `exactOptionalPropertyTypes` as asked (many strict projects turn it on). */
export const consumerTsconfig = (exactOptionalPropertyTypes: boolean) => ({
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    strict: true,
    exactOptionalPropertyTypes,
    noEmit: true,
    rootDir: '.',
    skipLibCheck: false,
  },
  files: ['esm-consumer.mts', 'cjs-consumer.cts'],
})

/** observability() on whatever Powertools is installed, one invocation, Lambda-like variables; prints the result. */
export const observabilityScript = `import { wrap } from '@lamina/core'
import { observability } from '@lamina/observability'
import { createContext, events, setLambdaEnvironment } from '@lamina/testing'
// Lambda's variables, without AWS_EXECUTION_ENV: tracing stays off, no X-Ray daemon needed.
setLambdaEnvironment({ AWS_LAMBDA_FUNCTION_NAME: 'packaging', POWERTOOLS_SERVICE_NAME: 'packaging', AWS_EXECUTION_ENV: undefined })
const handler = wrap(async (event, context) => {
  context.logger.info('handled')
  return { statusCode: 200, body: 'ok' }
}).use(observability({ metrics: { namespace: 'packaging' } }))
const result = await handler(events.apiGatewayV2({ path: '/' }), createContext({ functionName: 'packaging' }))
console.log(JSON.stringify({ result }))
`
