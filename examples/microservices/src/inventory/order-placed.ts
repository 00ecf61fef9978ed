// The inventory's reading of the orders service's OrderPlaced event: only the fields it uses.
// A zod object drops the fields it does not name, so the producer can add fields without
// breaking this consumer (a tolerant reader); a missing or mistyped field it needs is refused.
import { z } from 'zod'

export const orderPlacedSource = 'lamina.orders'
export const orderPlacedType = 'OrderPlaced'

export const OrderPlacedDetail = z.object({
  orderId: z.string().min(1).max(128),
  sku: z.string().min(1).max(64),
  quantity: z.number().int().positive().max(10_000),
})

export type OrderPlacedDetail = z.infer<typeof OrderPlacedDetail>
