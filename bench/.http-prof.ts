import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)

import { setLambdaEnvironment } from '@lamina/testing'

setLambdaEnvironment({
  POWERTOOLS_DEV: undefined,
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_METRICS_NAMESPACE: 'lamina-bench',
  POWERTOOLS_SERVICE_NAME: 'orders',
})
const { Logger } = await import('@aws-lambda-powertools/logger')
const { Metrics, MetricUnit } = await import('@aws-lambda-powertools/metrics')
const { wrap } = await import('@lamina/core')
const { errorMapper } = await import('@lamina/errors')
const { logging } = await import('@lamina/logger')
const { metrics } = await import('@lamina/metrics')
const { createContext, events } = await import('@lamina/testing')
const { validator } = await import('@lamina/validator')
const { z } = await import('zod')
const CreateOrder = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
  note: z.string().max(200).optional(),
})
const context = createContext({ timeoutMs: 15 * 60_000, functionName: 'orders' })
const ev = events.apiGatewayV2({ body: { sku: 'A-1', quantity: 2, note: 'gift wrap' }, requestId: 'bench' })
const logger = new Logger()
const instance = new Metrics()
const json = { 'content-type': 'application/json' }
const work = (order: any) => {
  logger.info('order placed', { sku: order.sku })
  instance.addMetric('OrdersPlaced', MetricUnit.Count, 1)
  return { statusCode: 201, headers: json, body: JSON.stringify({ sku: order.sku, quantity: order.quantity }) }
}
const h: any = wrap<any>()
  .use(errorMapper())
  .use(logging({ logger }))
  .use(metrics({ metrics: instance, errors: false, timeouts: false }))
  .use(validator({ body: CreateOrder }))
  .handler(async (event) => work(event.body))
const byHand = async (event: any, ctx: any) => {
  logger.refreshSampleRateCalculation()
  logger.addContext(ctx)
  logger.appendKeys({ correlation_id: event.requestContext.requestId })
  instance.captureColdStartMetric(ctx.functionName)
  try {
    const r = CreateOrder.safeParse(JSON.parse(event.body))
    return work(r.data)
  } finally {
    instance.addDimension('function_name', ctx.functionName)
    instance.publishStoredMetrics()
    logger.clearBuffer()
    logger.resetKeys()
  }
}
const ctx2: any = { ...context, getRemainingTimeInMillis: context.getRemainingTimeInMillis }
ctx2.logger = logger
ctx2.metrics = instance
const ctx3: any = { ...context, getRemainingTimeInMillis: context.getRemainingTimeInMillis }
ctx3.logger = logger
const variants: Record<string, any> = {
  hand: byHand,
  handCtxBoth: (e: any) => byHand(e, ctx2),
  handCtxLogger: (e: any) => byHand(e, ctx3),
  full: h,
  noErrors: wrap<any>()
    .use(logging({ logger }))
    .use(metrics({ metrics: instance, errors: false, timeouts: false }))
    .use(validator({ body: CreateOrder }))
    .handler(async (event) => work(event.body)),
  noValidator: wrap<any>()
    .use(errorMapper())
    .use(logging({ logger }))
    .use(metrics({ metrics: instance, errors: false, timeouts: false }))
    .handler(async (event) => work(CreateOrder.parse(JSON.parse(event.body)))),
  noMetrics: wrap<any>()
    .use(errorMapper())
    .use(logging({ logger }))
    .use(validator({ body: CreateOrder }))
    .handler(async (event) => {
      const r = work(event.body)
      instance.captureColdStartMetric('orders')
      instance.addDimension('function_name', 'orders')
      instance.publishStoredMetrics()
      return r
    }),
  noLogging: wrap<any>()
    .use(errorMapper())
    .use(metrics({ metrics: instance, errors: false, timeouts: false }))
    .use(validator({ body: CreateOrder }))
    .handler(async (event) => {
      logger.refreshSampleRateCalculation()
      logger.addContext(context as any)
      logger.appendKeys({ correlation_id: 'bench' })
      const r = work(event.body)
      logger.clearBuffer()
      logger.resetKeys()
      return r
    }),
}
process.stdout.write = (() => true) as any
process.stderr.write = (() => true) as any
const realEnv = process.env
let reads = 0
const counts = new Map<string, number>()
process.env = new Proxy(realEnv, {
  get(t, k) {
    reads++
    counts.set(String(k), (counts.get(String(k)) ?? 0) + 1)
    return (t as any)[k]
  },
}) as any
const calls = new Map<string, number>()
for (const obj of [logger, instance]) {
  const proto = Object.getPrototypeOf(obj)
  for (const key of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, key)!
    if (typeof d.value !== 'function' || key === 'constructor') continue
    const orig = d.value
    ;(obj as any)[key] = function (this: any, ...a: any[]) {
      calls.set(key, (calls.get(key) ?? 0) + 1)
      return orig.apply(this, a)
    }
  }
}
const out: string[] = []
for (const [name, fn] of Object.entries(variants)) {
  for (let i = 0; i < 10; i++) await fn({ ...ev }, context)
  reads = 0
  counts.clear()
  calls.clear()
  for (let i = 0; i < 100; i++) await fn({ ...ev }, context)
  out.push(`${name}: ${reads / 100} env reads; calls: ${[...calls].map(([k, v]) => `${k}=${v / 100}`).join(' ')}`)
}
require('node:fs').writeSync(1, out.join('\n') + '\n')
