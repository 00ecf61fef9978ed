import { wrapDurable } from '@lamina/core/durable'
import { logging } from '@lamina/logger'
import { MetricUnit, metrics } from '@lamina/metrics'
import { validator } from '@lamina/validator'
import { z } from 'zod'
import { priceOf, type Services } from './services.js'

export const orderSchema = z.object({
  orderId: z.string().min(1),
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
})
export type Order = z.infer<typeof orderSchema>

/** What the payment provider's webhook sends back through the callback. */
export const paymentSchema = z.object({ status: z.enum(['paid', 'declined']), paymentId: z.string().min(1) })

export type OrderOutcome =
  | { orderId: string; status: 'completed'; paymentId: string; trackingId: string }
  | { orderId: string; status: 'cancelled'; reason: 'payment declined' }

/**
 * The order workflow: reserve the stock, ask for payment and wait (up to a day, without running
 * or paying for the wait) for the provider's webhook to complete the callback, then ship, or
 * release the stock when the payment is declined. Each step runs once; a replay reads its result.
 */
export function orderWorkflow(services: Services) {
  return wrapDurable()
    .use(logging())
    .use(metrics({ namespace: 'orders' }))
    .use(validator({ event: orderSchema }))
    .handler(async (order, context): Promise<OrderOutcome> => {
      const reservation = await context.step('reserve-stock', () =>
        services.reserveStock(order.orderId, order.sku, order.quantity),
      )
      const answer = await context.waitForCallback(
        'await-payment',
        (callbackId) =>
          services.requestPayment({
            orderId: order.orderId,
            amountCents: priceOf(order.sku, order.quantity),
            callbackId,
          }),
        { timeout: { hours: 24 } },
      )
      const payment = paymentSchema.parse(JSON.parse(answer))
      if (payment.status === 'declined') {
        await context.step('release-stock', () => services.releaseStock(reservation))
        context.logger.warn('payment declined, stock released', { orderId: order.orderId })
        return { orderId: order.orderId, status: 'cancelled', reason: 'payment declined' }
      }
      const { trackingId } = await context.step('ship', () => services.ship(order.orderId, reservation))
      context.metrics.addMetric('OrdersCompleted', MetricUnit.Count, 1)
      context.logger.info('order completed', { orderId: order.orderId, trackingId })
      return { orderId: order.orderId, status: 'completed', paymentId: payment.paymentId, trackingId }
    })
}
