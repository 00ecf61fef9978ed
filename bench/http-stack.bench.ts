// The full HTTP stack per invocation, as a new user writes it: errorMapper, logging, metrics and
// validator (zod) on wrap(), one log line and one custom metric in the handler; against the same
// Powertools calls made by hand around the same handler (the floor: the work itself), and
// against @middy/core with http-error-handler, http-json-body-parser, Powertools'
// injectLambdaContext and logMetrics and the same zod check, twice: configured to write the same
// lines (the correlation id on every log line, the function_name dimension: what Lamina writes
// by default), which is the budgeted comparison, and with Middy's and Powertools' defaults, which
// write less (reported beside it). Lamina's extra standard metrics (Errors, Timeouts) are off so
// the work is the same. Two cases: a valid body (201) and one that fails the schema (400). Every
// log line and EMF document is built; only the final write goes to a no-op while measuring. The
// ratios are paired: each round's Lamina batch over the other variant's batch in the same round,
// median over the rounds (the machine's load moves both alike, so the figure is steadier than a
// ratio of the two medians).
// Run: npx tsx bench/http-stack.bench.ts
import { setLambdaEnvironment } from '@lamina/testing'

setLambdaEnvironment({
  POWERTOOLS_DEV: undefined,
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_METRICS_NAMESPACE: 'lamina-bench',
  POWERTOOLS_SERVICE_NAME: 'orders',
})

const { Logger } = await import('@aws-lambda-powertools/logger')
const { injectLambdaContext } = await import('@aws-lambda-powertools/logger/middleware')
const { Metrics, MetricUnit } = await import('@aws-lambda-powertools/metrics')
const { logMetrics } = await import('@aws-lambda-powertools/metrics/middleware')
const { wrap } = await import('@lamina/core')
const { errorMapper } = await import('@lamina/errors')
const { logging } = await import('@lamina/logger')
const { metrics } = await import('@lamina/metrics')
const { createContext, events } = await import('@lamina/testing')
const { validator } = await import('@lamina/validator')
const { default: middy } = await import('@middy/core')
const { default: httpErrorHandler } = await import('@middy/http-error-handler')
const { default: httpJsonBodyParser } = await import('@middy/http-json-body-parser')
const { createError } = await import('@middy/util')
const { z } = await import('zod')
const { quick, report } = await import('./support/report.js')
const { interleaved } = await import('./support/interleave.js')
type Variant = import('./support/interleave.js').Variant

type Logger = InstanceType<typeof Logger>
type Metrics = InstanceType<typeof Metrics>
type Handler = (event: any, context: any) => Promise<{ statusCode: number }>

const CreateOrder = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
  note: z.string().max(200).optional(),
})
type CreateOrder = { sku: string; quantity: number; note?: string | undefined }

const batch = 20
const rounds = quick ? 150 : 600
const context = createContext({ timeoutMs: 15 * 60_000, functionName: 'orders' })
const cases = {
  success: events.apiGatewayV2({ body: { sku: 'A-1', quantity: 2, note: 'gift wrap' }, requestId: 'bench' }),
  '400': events.apiGatewayV2({ body: { sku: '', quantity: -1 }, requestId: 'bench' }),
}

const json = { 'content-type': 'application/json' }
/** The handler's own work, the same in all three: one log line, one custom metric, the answer. */
const work = (logger: Logger, metrics: Metrics, order: CreateOrder) => {
  logger.info('order placed', { sku: order.sku })
  metrics.addMetric('OrdersPlaced', MetricUnit.Count, 1)
  return { statusCode: 201, headers: json, body: JSON.stringify({ sku: order.sku, quantity: order.quantity }) }
}
const issuesOf = (error: { issues: { path: PropertyKey[]; message: string }[] }) =>
  error.issues.map((issue) => ({ path: issue.path, message: issue.message }))

/** The floor: the Powertools calls and the parsing the stacks make, by hand. */
function byHand(logger: Logger, metrics: Metrics): Handler {
  return async (event, ctx) => {
    logger.refreshSampleRateCalculation()
    logger.addContext(ctx)
    logger.appendKeys({ correlation_id: event.requestContext.requestId })
    metrics.captureColdStartMetric(ctx.functionName)
    try {
      if (event.headers['content-type'] !== 'application/json') {
        return { statusCode: 415, headers: json, body: '{"message":"Unsupported Media Type"}' }
      }
      let body: unknown
      try {
        body = JSON.parse(event.body ?? '')
      } catch {
        return { statusCode: 400, headers: json, body: '{"message":"The request body is not valid JSON."}' }
      }
      const result = CreateOrder.safeParse(body)
      if (!result.success) {
        const issues = issuesOf(result.error)
        logger.warn('Invalid request', { statusCode: 400, issues })
        return { statusCode: 400, headers: json, body: JSON.stringify({ message: 'Invalid request', issues }) }
      }
      return work(logger, metrics, result.data)
    } finally {
      metrics.addDimension('function_name', ctx.functionName)
      metrics.publishStoredMetrics()
      logger.clearBuffer()
      logger.resetKeys()
    }
  }
}

function lamina(logger: Logger, instance: Metrics): Handler {
  return wrap<any>()
    .use(errorMapper())
    .use(logging({ logger }))
    .use(metrics({ metrics: instance, errors: false, timeouts: false }))
    .use(validator({ body: CreateOrder }))
    .handler(async (event) => work(logger, instance, event.body)) as unknown as Handler
}

/** The twins' schema check after Middy's JSON body parser: a 400 HttpError on failure. */
function checkOrder(request: { event: { body: unknown } }): void {
  const result = CreateOrder.safeParse(request.event.body)
  if (!result.success) {
    throw createError(400, JSON.stringify({ message: 'Invalid request', issues: issuesOf(result.error) }), {
      expose: true,
    })
  }
  request.event.body = result.data
}

function withMiddy(logger: Logger, instance: Metrics): Handler {
  return middy(async (event: { body: CreateOrder }) => work(logger, instance, event.body))
    .use(httpErrorHandler({ logger: (error: unknown) => logger.warn('Invalid request', { error: String(error) }) }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(instance, { captureColdStartMetric: true }))
    .use(httpJsonBodyParser())
    .use({ before: checkOrder }) as unknown as Handler
}

/**
 * Middy writing the same lines as Lamina and by hand: Powertools' own correlationIdPath (with a
 * plain dot-path search instead of JMESPath, which is not installed here) and a function_name
 * dimension added in the validating middleware's before, so logMetrics publishes it. Its success
 * answer writes the very log line and EMF document Lamina and the by-hand code write, so the
 * three do the same work.
 */
function withMiddySameLines(): Handler {
  // The path is split once, not per invocation: the twin's search costs as little as it can.
  const segments = new Map<string, string[]>()
  const dotPath = (path: string, data: unknown) => {
    let keys = segments.get(path)
    if (keys === undefined) {
      keys = path.split('.')
      segments.set(path, keys)
    }
    let value = data
    for (const key of keys) value = (value as Record<string, unknown> | undefined)?.[key]
    return value
  }
  const logger = new Logger({ correlationIdSearchFn: dotPath })
  const instance = new Metrics()
  return middy(async (event: { body: CreateOrder }) => work(logger, instance, event.body))
    .use(httpErrorHandler({ logger: (error: unknown) => logger.warn('Invalid request', { error: String(error) }) }))
    .use(injectLambdaContext(logger, { resetKeys: true, correlationIdPath: 'requestContext.requestId' }))
    .use(logMetrics(instance, { captureColdStartMetric: true }))
    .use(httpJsonBodyParser())
    .use({
      before(request: { event: { body: unknown }; context: { functionName: string } }) {
        // Dimensions last until logMetrics publishes, on either answer.
        instance.addDimension('function_name', request.context.functionName)
        checkOrder(request)
      },
    }) as unknown as Handler
}

const tools = () => [new Logger(), new Metrics()] as const
const variants: [string, Handler][] = [
  ['by hand (floor)', byHand(...tools())],
  ['lamina', lamina(...tools())],
  ['middy + Powertools', withMiddy(...tools())],
  ['middy + Powertools, same lines', withMiddySameLines()],
]

const { stdout, stderr } = process
const writes = [stdout.write, stderr.write] as const
const silence = () => {
  stdout.write = (() => true) as typeof stdout.write
  stderr.write = (() => true) as typeof stderr.write
}
const restore = () => {
  stdout.write = writes[0]
  stderr.write = writes[1]
}

// Middy's body parser writes the parsed body back onto the event: every call gets a fresh copy.
silence()
let ns: (name: string) => number
let paired: (a: string, b: string) => number
try {
  for (const [caseName, event] of Object.entries(cases)) {
    const statuses = await Promise.all(
      variants.map(async ([, handler]) => (await handler({ ...event }, context)).statusCode),
    )
    if (new Set(statuses).size !== 1)
      throw new Error(`bench: the ${caseName} case's answers differ: ${statuses.join(', ')}`)
  }
  const tasks = Object.entries(cases).flatMap(([caseName, event]) =>
    variants.map(([name, handler]): Variant => [`${caseName}: ${name}`, () => handler({ ...event }, context)]),
  )
  const result = await interleaved(tasks, { batch, rounds, warmupRounds: quick ? 5 : 15 })
  ns = (name: string) => result.medians.get(name) as number
  paired = result.pairedRatio
} finally {
  restore()
}
const names = Object.keys(cases).flatMap((caseName) => variants.map(([name]) => `${caseName}: ${name}`))

// Paired per round (see bench/support/interleave.ts): the table's medians are reported beside them.
const ratio = (caseName: string, twin: string) => paired(`${caseName}: lamina`, `${caseName}: ${twin}`)
const ratios = [
  {
    key: 'success-vs-floor',
    label: 'success: Lamina ÷ by hand',
    value: ratio('success', 'by hand (floor)'),
    budget: 1.1,
  },
  {
    key: 'success-vs-middy-same-lines',
    label: 'success: Lamina ÷ Middy writing the same lines',
    value: ratio('success', 'middy + Powertools, same lines'),
    budget: 0.8,
  },
  {
    key: 'success-vs-middy',
    label: 'success: Lamina ÷ Middy with its defaults (fewer keys and dimensions)',
    value: ratio('success', 'middy + Powertools'),
  },
  { key: '400-vs-floor', label: '400: Lamina ÷ by hand', value: ratio('400', 'by hand (floor)') },
  {
    key: '400-vs-middy-same-lines',
    label: '400: Lamina ÷ Middy writing the same lines',
    value: ratio('400', 'middy + Powertools, same lines'),
  },
  { key: '400-vs-middy', label: '400: Lamina ÷ Middy with its defaults', value: ratio('400', 'middy + Powertools') },
]
report({
  id: 'http-stack',
  title: 'Full HTTP stack',
  tables: [
    {
      title: `ns per invocation (CPU time, median of ${rounds} rounds, each timing a batch of ${batch} of every task back to back; node ${process.version})`,
      rows: names.map((name) => {
        const [caseName] = name.split(':') as [string]
        return {
          task: name,
          'ns/op': ns(name).toFixed(0),
          'x by hand': (ns(name) / ns(`${caseName}: by hand (floor)`)).toFixed(3),
          'x middy, same lines': (ns(name) / ns(`${caseName}: middy + Powertools, same lines`)).toFixed(3),
          'x middy defaults': (ns(name) / ns(`${caseName}: middy + Powertools`)).toFixed(3),
        }
      }),
    },
  ],
  ratios,
  chart: {
    title: 'Full HTTP stack: Lamina ÷ by hand and ÷ Middy',
    unit: 'ratio, lower is better (1 = the same)',
    bars: ratios.map((each) => ({ label: each.label, value: each.value })),
    reference: 1,
  },
})
