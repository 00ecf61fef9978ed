// What is deployed, run once: `lamina build` bundles each function of the template to the path
// its Handler names, and each bundle (not the sources) runs in the local runtime (a Runtime API
// emulator and a child process per function, as Lambda runs them) against the stand-ins, through
// the same flow as on AWS: stock set, an order placed, its event delivered, the stock read.
import { rm } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { type BuiltFunction, buildFunctions, startLocalFunction } from '@lamina/local'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensurePackagesBuilt, repoRoot } from '../../../test/support/built-packages.js'
import { deliveredEvent, events, readTemplate, type Services, startServices } from './stand-ins.js'

type LocalFunction = Awaited<ReturnType<typeof startLocalFunction>>

let services: Services
let built: BuiltFunction[]
const running = new Map<string, LocalFunction>()
const outdir = join(repoRoot, '.tmp', `microservices-bundles-${process.pid}`)

beforeAll(async () => {
  await ensurePackagesBuilt()
  services = await startServices()
  // The template's own build folder is .lamina/build; this run writes to a folder of its own, so
  // it never races a `lamina build` of the example, and removes it afterwards.
  built = await buildFunctions({ target: 'examples/microservices', cwd: repoRoot, outdir })
  for (const fn of built) {
    running.set(
      fn.name,
      await startLocalFunction({
        functionName: fn.name,
        handler: fn.handler,
        cwd: dirname(fn.outfile),
        timeoutSeconds: 10,
        env: { ...services.environment, POWERTOOLS_SERVICE_NAME: fn.name },
      }),
    )
  }
}, 5 * 60_000)

afterAll(async () => {
  for (const fn of running.values()) await fn.close()
  await services?.stop()
  await rm(outdir, { recursive: true, force: true })
})

const http = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  events.apiGatewayV2({ method, path, headers, ...(body === undefined ? {} : { body }) })

async function invoke(name: string, event: unknown) {
  const result = await (running.get(name) as LocalFunction).invoke(event)
  expect(result.error, `${name}: ${JSON.stringify(result.error)}`).toBeUndefined()
  return result
}

describe('the bundles lamina build writes', () => {
  it("land where each function's Handler points, and run the whole flow in the local runtime", async () => {
    // Prepare
    const { Resources } = readTemplate()
    const answer = (result: { response?: unknown }) => {
      const response = result.response as { statusCode: number; body: string }
      return { status: response.statusCode, body: JSON.parse(response.body) }
    }

    // Act
    const restocked = await invoke('StockFunction', http('PUT', '/stock/lamina-mug', { available: 10 }))
    const placed = await invoke(
      'OrdersFunction',
      http('POST', '/orders', { sku: 'lamina-mug', quantity: 4 }, { 'idempotency-key': 'bundle-test' }),
    )
    const [entry] = services.eventBridge.published
    const reserved = await invoke('InventoryFunction', deliveredEvent(entry as NonNullable<typeof entry>))
    const stock = await invoke('StockFunction', http('GET', '/stock/lamina-mug'))

    // Assess
    for (const fn of built) {
      const { CodeUri, Handler } = Resources[fn.name].Properties
      expect(CodeUri).toBe(`.lamina/build/${fn.name}`)
      expect(relative(outdir, fn.outfile)).toBe(join(fn.name, `${Handler.slice(0, Handler.lastIndexOf('.'))}.mjs`))
    }
    expect(built.map((fn) => fn.name).sort()).toEqual(['InventoryFunction', 'OrdersFunction', 'StockFunction'])
    expect(answer(restocked)).toEqual({ status: 200, body: { sku: 'lamina-mug', available: 10 } })
    expect(answer(placed)).toMatchObject({ status: 201, body: { sku: 'lamina-mug', quantity: 4 } })
    expect(reserved.response).toMatchObject({ outcome: 'reserved', available: 6 })
    expect(answer(stock)).toEqual({ status: 200, body: { sku: 'lamina-mug', available: 6 } })
    expect([restocked, placed, reserved].every((result) => result.cold)).toBe(true)

    console.log(
      built
        .map(
          (fn) =>
            `${fn.name.padEnd(18)} ${(fn.bytes / 1024).toFixed(1).padStart(7)} KB  min+gz ${(fn.gzipBytes / 1024).toFixed(1).padStart(6)} KB${fn.banner ? '  createRequire banner' : ''}`,
        )
        .join('\n'),
    )
  }, 120_000)
})
