// Route matching cost with 10 and 200 routes.
// 1. @lamina/router against @middy/http-router: the router alone (no engine around it), each
//    handing a request to a handler that returns a constant, over requests spread evenly across
//    the table (static, one-parameter and two-parameter routes).
// 2. Why rou3: the two radix routers on npm, rou3 and find-my-way, on the same table and
//    lookups, plus what each costs at cold start (import, in a fresh process, and registering
//    the table).
// One process, same events; ratios are what to read (absolute figures move with the machine).
// The Lamina / Middy ratio is measured in interleaved rounds (bench/support/interleave.ts): each
// round times a short batch of each router back to back and the ratio is the median of the
// rounds' ratios. Timing each router for 150 ms one after the other, as the matcher comparison
// below still does, let a burst of load from another tenant of a shared machine land on one
// side only: five such rounds gave 1.21 to 1.53 for the same code.
// Run: node --import tsx bench/router-match.bench.ts
import { execFileSync } from 'node:child_process'
import { router } from '@lamina/router'
import { createContext, events } from '@lamina/testing'
import httpRouterHandler from '@middy/http-router'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import FindMyWay from 'find-my-way'
import { addRoute, createRouter, findRoute } from 'rou3'
import { Bench } from 'tinybench'
import { interleaved } from './support/interleave.js'
import { quick, report } from './support/report.js'
import { printTable, type Row } from './support/table.js'

const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 3 : 5))
const sizes = [10, 200]
const context = createContext({ timeoutMs: 15 * 60_000 })

type Method = 'GET' | 'POST' | 'PUT'
interface Table {
  routes: [Method, string][]
  paths: string[]
}

/** `size` routes, five per resource, and one request per route shape and resource. */
function table(size: number): Table {
  const routes: [Method, string][] = []
  const paths: string[] = []
  for (let resource = 0; routes.length < size; resource++) {
    const base = `/resource${resource}`
    routes.push(
      ['GET', base],
      ['POST', base],
      ['GET', `${base}/{id}`],
      ['PUT', `${base}/{id}`],
      ['GET', `${base}/{id}/items/{itemId}`],
    )
    paths.push(base, `${base}/42`, `${base}/42/items/7`)
  }
  return { routes: routes.slice(0, size), paths }
}

const answer = { statusCode: 200, body: '' }
const respond = () => answer

type Dispatch = (event: APIGatewayProxyEventV2) => unknown

function laminaRouter({ routes }: Table): Dispatch {
  const app = router<APIGatewayProxyEventV2>()
  for (const [method, path] of routes) app.route(method, path, respond)
  return (event) => app(event, context)
}

function middyRouter({ routes }: Table): Dispatch {
  const handle = httpRouterHandler(routes.map(([method, path]) => ({ method, path, handler: respond })) as never) as (
    event: unknown,
    context: unknown,
  ) => unknown
  return (event) => handle(event, context)
}

// The matchers' own syntax for the same table.
const colonSyntax = (path: string) => path.replace(/\{(\w+)\}/g, ':$1')

function rou3Lookup({ routes }: Table): (path: string) => unknown {
  const matcher = createRouter<() => unknown>()
  for (const [method, path] of routes) addRoute(matcher, method, colonSyntax(path), respond)
  return (path) => findRoute(matcher, 'GET', path)
}

function findMyWayLookup({ routes }: Table): (path: string) => unknown {
  const matcher = FindMyWay({ ignoreTrailingSlash: true })
  for (const [method, path] of routes) matcher.on(method, colonSyntax(path), respond)
  return (path) => matcher.find('GET', path)
}

async function check(tables: Map<number, Table>): Promise<void> {
  // Both routers must serve every request of the run, or the comparison means nothing.
  for (const [size, routes] of tables) {
    for (const path of routes.paths) {
      const event = events.apiGatewayV2({ path })
      for (const [name, dispatch] of [
        ['lamina', laminaRouter(routes)],
        ['middy', middyRouter(routes)],
      ] as const) {
        const served = (await dispatch({ ...event })) as { statusCode?: number }
        if (served.statusCode !== 200) throw new Error(`bench: ${name} with ${size} routes did not serve ${path}`)
      }
      if (rou3Lookup(routes)(path) === undefined || findMyWayLookup(routes)(path) === null)
        throw new Error(`bench: a matcher with ${size} routes did not match ${path}`)
    }
  }
}

type Sample = Map<string, number[]>
const record = (samples: Sample, name: string, value: number) =>
  samples.set(name, [...(samples.get(name) ?? []), value])

async function measureRound(tables: Map<number, Table>, samples: Sample, round: number): Promise<void> {
  const bench = new Bench({ name: `router round ${round + 1}`, time: 150, warmupTime: 50 })
  const perRequest = new Map<string, number>()
  for (const [size, routes] of tables) {
    const rou3 = rou3Lookup(routes)
    const findMyWay = findMyWayLookup(routes)
    const add = (name: string, run: () => unknown) => {
      perRequest.set(name, routes.paths.length)
      bench.add(name, run)
    }
    add(`${size} routes: rou3 lookup`, () => {
      for (const path of routes.paths) rou3(path)
    })
    add(`${size} routes: find-my-way lookup`, () => {
      for (const path of routes.paths) findMyWay(path)
    })
  }
  await bench.run()
  for (const task of bench.tasks) {
    if (task.result.state !== 'completed')
      throw new Error(`bench task "${task.name}" did not complete: ${task.result.state}`)
    record(samples, task.name, (task.result.latency.mean * 1e6) / (perRequest.get(task.name) as number))
  }
}

/** Milliseconds to import a module in a fresh Node process, and to register the 200-route table. */
function coldStart(matcher: 'rou3' | 'find-my-way'): { importMs: number; registerMs: number } {
  const script = `
    const t0 = performance.now()
    const m = await import('${matcher}')
    const t1 = performance.now()
    ${
      matcher === 'rou3'
        ? 'const r = m.createRouter(); const add = (method, path) => m.addRoute(r, method, path, 1)'
        : 'const r = m.default({ ignoreTrailingSlash: true }); const add = (method, path) => r.on(method, path, () => 1)'
    }
    for (const [method, path] of ${JSON.stringify(table(200).routes.map(([method, path]) => [method, colonSyntax(path)]))}) add(method, path)
    console.log(JSON.stringify({ importMs: t1 - t0, registerMs: performance.now() - t1 }))`
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  return JSON.parse(output) as { importMs: number; registerMs: number }
}

/** Lamina ÷ Middy, dispatching the same requests, in interleaved rounds: per size, ns per request and the paired ratio. */
async function routers(tables: Map<number, Table>) {
  const measured = []
  for (const [size, routes] of tables) {
    const requests = routes.paths.map((path) => events.apiGatewayV2({ path }))
    const lamina = laminaRouter(routes)
    const middy = middyRouter(routes)
    // Both handlers answer synchronously, so the routers' whole work is done when the call
    // returns (Lamina's answer is then an already-settled promise, part of its cost).
    const result = await interleaved(
      [
        [
          'lamina',
          () => {
            for (const event of requests) lamina(event)
          },
        ],
        [
          'middy',
          () => {
            for (const event of requests) middy(event)
          },
        ],
      ],
      { batch: 200, rounds: quick ? 40 : 150, warmupRounds: 20 },
    )
    const perRequest = (name: string) => (result.medians.get(name) as number) / requests.length
    measured.push({
      size,
      lamina: perRequest('lamina'),
      middy: perRequest('middy'),
      ratio: result.pairedRatio('lamina', 'middy'),
    })
  }
  return measured
}

async function main(): Promise<void> {
  const tables = new Map(sizes.map((size) => [size, table(size)]))
  await check(tables)
  const dispatch = await routers(tables)
  report({
    id: 'router-match',
    title: '@lamina/router vs @middy/http-router',
    tables: [
      {
        title: `@lamina/router vs @middy/http-router: dispatch to a constant handler, CPU ns per request (median of interleaved rounds; node ${process.version})`,
        rows: dispatch.map((entry) => ({
          routes: String(entry.size),
          'lamina ns/request': entry.lamina.toFixed(0),
          'middy ns/request': entry.middy.toFixed(0),
          'lamina / middy (paired)': entry.ratio.toFixed(2),
        })),
      },
    ],
    ratios: dispatch.map((entry) => ({
      key: `router-${entry.size}-routes`,
      label: `dispatch with ${entry.size} routes ÷ @middy/http-router`,
      value: entry.ratio,
      budget: 1,
    })),
    chart: {
      title: 'Router dispatch to a constant handler, × @middy/http-router',
      unit: '× Middy',
      bars: dispatch.map((entry) => ({ label: `${entry.size} routes`, value: entry.ratio })),
      reference: 1,
    },
  })

  const samples: Sample = new Map()
  // Interleaved short rounds on a noisy machine: keep each task's best round.
  for (let round = 0; round < rounds; round++) await measureRound(tables, samples, round)
  const sorted = (name: string) => [...(samples.get(name) ?? [])].sort((a, b) => a - b)
  const best = (name: string) => sorted(name)[0] as number

  const matcherRows: Row[] = sizes.map((size) => ({
    routes: String(size),
    'rou3 ns/lookup': best(`${size} routes: rou3 lookup`).toFixed(0),
    'find-my-way ns/lookup': best(`${size} routes: find-my-way lookup`).toFixed(0),
    'rou3 / find-my-way': (best(`${size} routes: rou3 lookup`) / best(`${size} routes: find-my-way lookup`)).toFixed(2),
  }))
  printTable(`rou3 vs find-my-way: one lookup (best of ${rounds} rounds)`, matcherRows)

  const cold = (['rou3', 'find-my-way'] as const).map((matcher) => {
    const runs = Array.from({ length: 5 }, () => coldStart(matcher))
    const medianOf = (values: number[]) => values.sort((a, b) => a - b)[2] as number
    return {
      matcher,
      importMs: medianOf(runs.map((run) => run.importMs)),
      registerMs: medianOf(runs.map((run) => run.registerMs)),
    }
  })
  const [rou3Cold, findMyWayCold] = cold as [(typeof cold)[number], (typeof cold)[number]]
  printTable('cold start: import in a fresh process, then register 200 routes (median of 5, ms)', [
    ...cold.map((entry) => ({
      matcher: entry.matcher,
      'import ms': entry.importMs.toFixed(1),
      'register 200 ms': entry.registerMs.toFixed(1),
    })),
    {
      matcher: 'rou3 / find-my-way',
      'import ms': (rou3Cold.importMs / findMyWayCold.importMs).toFixed(2),
      'register 200 ms': (rou3Cold.registerMs / findMyWayCold.registerMs).toFixed(2),
    },
  ])
}

await main()
