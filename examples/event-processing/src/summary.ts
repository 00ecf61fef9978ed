import { z } from 'zod'

/** One line of an orders export: a JSON object per line (JSON Lines). */
export const OrderLine = z.object({
  orderId: z.string().min(1),
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
  unitPriceCents: z.number().int().nonnegative(),
})
export type OrderLine = z.infer<typeof OrderLine>

/** What the function writes for each orders file. */
export interface OrdersSummary {
  source: { bucket: string; key: string }
  orders: number
  units: number
  revenueCents: number
  /** Per SKU, in SKU order: the same input always gives the same bytes. */
  bySku: Record<string, { orders: number; units: number; revenueCents: number }>
}

/** An object that no retry can fix: its record fails, and after its retries the message rests in the DLQ. */
export class MalformedObjectError extends Error {
  override name = 'MalformedObjectError'
}

function parseLine(text: string, where: string): OrderLine {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new MalformedObjectError(`${where} is not JSON: write one JSON object per line, then upload the file again.`)
  }
  const parsed = OrderLine.safeParse(value)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`)
  throw new MalformedObjectError(`${where} is not an order (${issues.join('; ')}): fix it, then upload the file again.`)
}

/**
 * Reads a JSON Lines orders file and totals it. Blank lines are skipped; any other line that is
 * not an order makes the whole file malformed (a partial summary would be a wrong one).
 */
export function summarise(text: string, source: { bucket: string; key: string }): OrdersSummary {
  const totals = new Map<string, { orders: number; units: number; revenueCents: number }>()
  let orders = 0
  let units = 0
  let revenueCents = 0
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue
    const order = parseLine(line, `s3://${source.bucket}/${source.key} line ${index + 1}`)
    const revenue = order.quantity * order.unitPriceCents
    const sku = totals.get(order.sku) ?? { orders: 0, units: 0, revenueCents: 0 }
    sku.orders += 1
    sku.units += order.quantity
    sku.revenueCents += revenue
    totals.set(order.sku, sku)
    orders += 1
    units += order.quantity
    revenueCents += revenue
  }
  const bySku = Object.fromEntries([...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return { source, orders, units, revenueCents, bySku }
}

/** Where the summary of `key` goes in the output bucket: `orders/2026-11-27.jsonl` → `summaries/orders/2026-11-27.json`. */
export function summaryKey(key: string): string {
  return `summaries/${key.replace(/\.jsonl$/, '')}.json`
}
