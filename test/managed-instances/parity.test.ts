// Parity with the real runtime client: aws-lambda-ric 4 (what nodejs22.x and nodejs24.x run), on
// Node 24, polls @lamina/local's Runtime API emulator; Lamina's own loop runs the same handlers on
// the same Node 24 binary. Every case must give the same response, error and timeout under both.
// (The Node 24 binary is installed beside the client, so this runs on Node 20, 22 and 24 alike.)
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BuiltFunction, buildFunctions, type InvocationResult, startLocalFunction } from '@lamina/local'
import { events } from '@lamina/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensurePackagesBuilt, repoRoot } from '../support/built-packages.js'
import {
  installRuntimeInterfaceClient,
  type RuntimeInterfaceClient,
  ricVersion,
} from '../support/runtime-interface-client.js'
import { startSecretsManagerServer } from '../support/secrets-manager-server.js'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
const localFixtures = join(repoRoot, 'packages/local/test/fixtures')
const minutes = 60_000

let ric: RuntimeInterfaceClient
let examples: Record<'hello' | 'orders', BuiltFunction>

beforeAll(async () => {
  ric = await installRuntimeInterfaceClient()
  await ensurePackagesBuilt()
  const out = join(repoRoot, '.tmp/parity-build')
  const [hello] = await buildFunctions({ cwd: repoRoot, target: 'examples/hello', outdir: join(out, 'hello') })
  const [orders] = await buildFunctions({
    cwd: repoRoot,
    target: 'bench/fixtures/orders-api',
    outdir: join(out, 'orders'),
  })
  examples = { hello: hello!, orders: orders! }
}, 20 * minutes)

interface Case {
  handler: string
  cwd: string
  events: unknown[]
  timeoutSeconds?: number
  env?: Record<string, string>
}

/** What must match: the answer, the error's type and message, timeouts and cold starts. */
function comparable(result: InvocationResult) {
  const text = JSON.stringify(result.response ?? null).replaceAll(result.requestId, '<request id>')
  return {
    phase: result.phase,
    cold: result.cold,
    timedOut: result.timedOut,
    response: JSON.parse(text),
    error: result.error && {
      errorType: result.error.errorType,
      // An init error's wording is each runtime's own; its type is the contract.
      ...(result.phase === 'init'
        ? {}
        : { errorMessage: result.error.errorMessage.replaceAll(result.requestId, '<request id>') }),
    },
    streamed: result.streamed ?? false,
    prelude: result.prelude,
  }
}

async function runUnder(runtime: 'ric' | 'lamina', scenario: Case) {
  const fn = await startLocalFunction({
    handler: scenario.handler,
    cwd: scenario.cwd,
    functionName: 'parity',
    timeoutSeconds: scenario.timeoutSeconds ?? 3,
    env: { POWERTOOLS_TRACE_ENABLED: 'false', ...scenario.env },
    nodePath: ric.node,
    ...(runtime === 'ric' ? { runtimeCommand: { command: ric.node, args: [ric.entry] } } : {}),
  })
  try {
    const results: InvocationResult[] = []
    for (const event of scenario.events) results.push(await fn.invoke(event))
    return results.map(comparable)
  } finally {
    await fn.close()
  }
}

async function parity(scenario: Case) {
  const [underRic, underLamina] = [await runUnder('ric', scenario), await runUnder('lamina', scenario)]
  expect(underLamina).toEqual(underRic)
  return underRic
}

describe(`parity with aws-lambda-ric ${ricVersion} on Node 24, against the emulator`, () => {
  it(
    'answers the same: JSON results, undefined, text, cold then warm',
    async () => {
      const [first, second, nothing] = [
        ...(await parity({ handler: 'parity.ok', cwd: fixtures, events: [{ n: 1 }, { n: 2 }] })),
        ...(await parity({ handler: 'parity.nothing', cwd: fixtures, events: [{}] })),
      ]
      expect(first).toMatchObject({
        cold: true,
        response: {
          event: { n: 1 },
          requestId: '<request id>',
          functionName: 'parity',
          memoryLimitInMB: '128',
          arn: 'arn:aws:lambda:us-east-1:123456789012:function:parity',
          deadlineInRange: true,
          traceHeader: true,
        },
      })
      expect(second).toMatchObject({ cold: false, response: { event: { n: 2 } } })
      expect(nothing).toMatchObject({ response: null })
      const [text] = await parity({ handler: 'parity.text', cwd: fixtures, events: [{}] })
      expect(text?.response).toBe('plain text')
    },
    5 * minutes,
  )

  it(
    'reports the same errors: thrown errors, thrown strings',
    async () => {
      const [declined] = await parity({ handler: 'parity.fails', cwd: fixtures, events: [{ card: 42 }] })
      const [string] = await parity({ handler: 'parity.throwsString', cwd: fixtures, events: [{}] })
      expect(declined?.error).toEqual({ errorType: 'PaymentDeclined', errorMessage: 'card 42 declined' })
      expect(string?.error).toEqual({ errorType: 'string', errorMessage: 'not an error' })
    },
    5 * minutes,
  )

  it(
    'times out the same: killed at the deadline, the next invocation cold',
    async () => {
      const [hung, after] = await parity({
        handler: 'parity.hangs',
        cwd: fixtures,
        events: [{ hang: true }, {}],
        timeoutSeconds: 1,
      })
      expect(hung).toMatchObject({ timedOut: true, error: { errorType: 'Sandbox.Timedout' } })
      expect(after).toMatchObject({ cold: true, timedOut: false, response: { hung: false } })
    },
    5 * minutes,
  )

  it(
    'reports the same init errors',
    async () => {
      const types = []
      for (const handler of [
        'init-throws.handler',
        'missing.handler',
        'not-function.handler',
        'echo.nothing',
        'echo-cjs.callback',
      ]) {
        const [result] = await parity({ handler, cwd: localFixtures, events: [{}] })
        types.push(result?.error?.errorType)
      }
      expect(types).toEqual([
        'Error',
        'Runtime.ImportModuleError',
        'Runtime.HandlerNotFound',
        'Runtime.HandlerNotFound',
        'Runtime.CallbackHandlerDeprecated',
      ])
    },
    5 * minutes,
  )

  it(
    'streams the same: prelude, body, and an error after the first bytes',
    async () => {
      const [streamed] = await parity({ handler: 'parity.stream', cwd: fixtures, events: [{ parts: ['a', 'b', 'c'] }] })
      const [broken] = await parity({ handler: 'parity.streamFails', cwd: fixtures, events: [{}] })
      expect(streamed).toMatchObject({
        streamed: true,
        response: 'abc',
        prelude: { statusCode: 202, headers: { 'x-kind': 'stream' } },
      })
      expect(broken).toMatchObject({
        streamed: true,
        response: 'first ',
        error: { errorType: 'Error', errorMessage: 'broke midway' },
      })
    },
    5 * minutes,
  )

  it(
    'runs the example bundles the same (lamina build output)',
    async () => {
      const secrets = await startSecretsManagerServer()
      secrets.setSecret('orders/pricing', JSON.stringify({ apiKey: 'local-key-123', discountPercent: 10 }))
      try {
        const [greeting] = await parity({
          handler: examples.hello.handler,
          cwd: dirname(examples.hello.outfile),
          events: [events.apiGatewayV2({ method: 'GET', path: '/', query: { name: 'ada' } })],
        })
        const orders = await parity({
          handler: examples.orders.handler,
          cwd: dirname(examples.orders.outfile),
          timeoutSeconds: 10,
          env: {
            AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
            AWS_ACCESS_KEY_ID: 'local',
            AWS_SECRET_ACCESS_KEY: 'local',
          },
          events: [
            events.apiGatewayV2({ method: 'POST', path: '/orders', body: { sku: 'lamina-mug', quantity: 3 } }),
            events.apiGatewayV2({ method: 'POST', path: '/orders', body: { sku: 'nope', quantity: 1 } }),
            events.apiGatewayV2({ method: 'POST', path: '/orders', body: { quantity: -1 } }),
          ],
        })
        expect(greeting?.response).toMatchObject({ statusCode: 200, body: '{"message":"hello, ada"}' })
        expect(orders.map((result) => (result.response as { statusCode: number }).statusCode)).toEqual([201, 404, 400])
      } finally {
        await secrets.close()
      }
    },
    5 * minutes,
  )
})
