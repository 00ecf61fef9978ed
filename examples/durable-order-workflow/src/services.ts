// The workflow's neighbours: stock, the payment provider and shipping. In-memory stand-ins here
// (deterministic, so replays and tests see the same answers); in a deployment these call your
// inventory table, your payment provider's API and your carrier.
export interface Reservation {
  reservationId: string
  sku: string
  quantity: number
}

export interface PaymentRequest {
  orderId: string
  amountCents: number
  /** The durable callback the provider's webhook completes (see payment-webhook.ts). */
  callbackId: string
}

export interface Services {
  reserveStock(orderId: string, sku: string, quantity: number): Promise<Reservation>
  releaseStock(reservation: Reservation): Promise<void>
  requestPayment(request: PaymentRequest): Promise<void>
  ship(orderId: string, reservation: Reservation): Promise<{ trackingId: string }>
}

const priceCents: Record<string, number> = { 'lamina-mug': 1_200, 'lamina-tee': 2_500 }

export function priceOf(sku: string, quantity: number): number {
  const unit = priceCents[sku]
  if (unit === undefined) throw new Error(`Unknown sku "${sku}": add it to the catalogue before taking orders for it.`)
  return unit * quantity
}

/** Stand-ins that record what they were asked, so a run (or a test) can show it. */
export function localServices(record: (line: string) => void = () => undefined): Services {
  return {
    async reserveStock(orderId, sku, quantity) {
      record(`reserved ${quantity} × ${sku} for ${orderId}`)
      return { reservationId: `res-${orderId}`, sku, quantity }
    },
    async releaseStock(reservation) {
      record(`released ${reservation.reservationId}`)
    },
    async requestPayment(request) {
      record(`asked for ${request.amountCents} cents for ${request.orderId}`)
    },
    async ship(orderId) {
      record(`shipped ${orderId}`)
      return { trackingId: `track-${orderId}` }
    },
  }
}
