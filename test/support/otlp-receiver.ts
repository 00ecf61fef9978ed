// An OTLP/HTTP trace receiver on 127.0.0.1, standing in for the ADOT collector or X-Ray's OTLP
// endpoint: it decodes what OpenTelemetry's OTLP/HTTP exporter posts (JSON, its default encoding)
// into plain spans a test can check: ids, parent links, attributes, status and events.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

type AttributeValue = string | number | boolean | AttributeValue[] | undefined

export interface ReceivedSpan {
  traceId: string
  spanId: string
  /** Empty for a root span. */
  parentSpanId: string
  name: string
  /** OTLP's numbers: 1 internal, 2 server, 3 client. */
  kind: number
  attributes: Record<string, AttributeValue>
  /** 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string }
  events: { name: string; attributes: Record<string, AttributeValue> }[]
  resource: Record<string, AttributeValue>
  startNanos: bigint
  endNanos: bigint
}

export interface OtlpReceiver {
  /** The value of OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  readonly endpoint: string
  readonly spans: ReceivedSpan[]
  /** How many export requests arrived. */
  readonly requests: number
  /**
   * Resolves once `count` spans have arrived (then with every span), or after 5 s with what
   * arrived, so a missing span fails the caller's assertion, not the test's timeout.
   */
  waitFor(count: number): Promise<ReceivedSpan[]>
  /** Answer every later export with this HTTP status (a collector that is down or refusing). */
  failWith(status: number | undefined): void
  close(): Promise<void>
}

interface OtlpAnyValue {
  stringValue?: string
  intValue?: string | number
  doubleValue?: number
  boolValue?: boolean
  arrayValue?: { values?: OtlpAnyValue[] }
}
type OtlpAttributes = { key: string; value: OtlpAnyValue }[] | undefined

function decodeValue(value: OtlpAnyValue): AttributeValue {
  if (value.stringValue !== undefined) return value.stringValue
  if (value.intValue !== undefined) return Number(value.intValue)
  if (value.doubleValue !== undefined) return value.doubleValue
  if (value.boolValue !== undefined) return value.boolValue
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(decodeValue)
  return undefined
}

const attributesOf = (attributes: OtlpAttributes) =>
  Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, decodeValue(value)]))

/** OTLP/JSON spells ids in hex; some exporters write base64, which is read back to hex here. */
const hexId = (id: string | undefined) => {
  if (id === undefined || id === '') return ''
  return /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex')
}

function decode(body: any): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resourceSpans: any) => {
    const resource = attributesOf(resourceSpans.resource?.attributes)
    return (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans: any) =>
      (scopeSpans.spans ?? []).map(
        (span: any): ReceivedSpan => ({
          traceId: hexId(span.traceId),
          spanId: hexId(span.spanId),
          parentSpanId: hexId(span.parentSpanId),
          name: span.name,
          kind: span.kind,
          attributes: attributesOf(span.attributes),
          status: { code: span.status?.code ?? 0, ...(span.status?.message && { message: span.status.message }) },
          events: (span.events ?? []).map((event: any) => ({
            name: event.name,
            attributes: attributesOf(event.attributes),
          })),
          resource,
          startNanos: BigInt(span.startTimeUnixNano),
          endNanos: BigInt(span.endTimeUnixNano),
        }),
      ),
    )
  })
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = []
  let requests = 0
  let failure: number | undefined
  let arrived = () => {}
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    if (request.method !== 'POST' || request.url !== '/v1/traces') {
      response.writeHead(404).end()
      return
    }
    requests++
    if (failure !== undefined) {
      response.writeHead(failure, { 'content-type': 'application/json' }).end('{}')
      return
    }
    if (!String(request.headers['content-type']).includes('json')) {
      response.writeHead(415).end('this receiver decodes OTLP/JSON; set OTEL_EXPORTER_OTLP_PROTOCOL=http/json')
      return
    }
    spans.push(...decode(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    arrived()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    get requests() {
      return requests
    },
    async waitFor(count) {
      if (spans.length < count) {
        await new Promise<void>((resolve) => {
          const giveUp = setTimeout(resolve, 5_000)
          arrived = () => {
            if (spans.length < count) return
            clearTimeout(giveUp)
            resolve()
          }
        })
        arrived = () => {}
      }
      return spans
    },
    failWith(status) {
      failure = status
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
