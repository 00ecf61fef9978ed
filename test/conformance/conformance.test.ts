import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handler, timeoutMs } from './app.js'
import { type Answer, type Platforms, platforms } from './platforms.js'
import { type ConformanceRequest, table } from './table.js'

let run: Platforms
beforeAll(async () => {
  run = await platforms('conformance', handler, timeoutMs)
})
afterAll(() => run.close())

function assertExpected(answer: Answer, request: ConformanceRequest) {
  const { expect: wanted } = request
  expect(answer.status).toBe(wanted.status)
  for (const [name, value] of Object.entries(wanted.headers ?? {})) expect(answer.headers.get(name), name).toBe(value)
  if (wanted.json !== undefined) expect(JSON.parse(answer.body.toString('utf8'))).toEqual(wanted.json)
  if (wanted.text !== undefined) expect(answer.body.toString('utf8')).toBe(wanted.text)
  if (wanted.bytes !== undefined) expect(new Uint8Array(answer.body)).toEqual(wanted.bytes)
  if (wanted.cookies !== undefined) expect(answer.cookies).toEqual(wanted.cookies)
  const everything = `${[...answer.headers].join('\n')}\n${answer.body.toString('utf8')}`
  for (const secret of wanted.leaks ?? []) expect(everything).not.toContain(secret)
}

// The headers that carry meaning for a client; transport headers (date, connection,
// content-length, keep-alive) are the server's own and differ by design.
const meaningful = ['content-type', 'allow', 'vary', 'x-order', 'x-received']
const corsHeader = /^access-control-/
const view = (answer: Answer) => ({
  status: answer.status,
  headers: Object.fromEntries(
    [...answer.headers].filter(([name]) => meaningful.includes(name) || corsHeader.test(name)),
  ),
  cookies: answer.cookies,
  body: answer.body.toString('base64'),
})

describe('conformance: one Lamina function on Lambda, Azure Functions and Google Cloud Functions', () => {
  describe.each(table)('$method $target: $name', (request) => {
    it('answers as the table says on Lambda (API Gateway v2)', async () => {
      assertExpected(await run.viaLambda(request), request)
    })

    it('answers the same through @lamina/azure', async () => {
      const [lambda, azure] = await Promise.all([run.viaLambda(request), run.viaAzure(request)])
      assertExpected(azure, request)
      expect(view(azure)).toEqual(view(lambda))
    })

    it('answers the same through @lamina/gcp on the Functions Framework server', async () => {
      const [lambda, gcp] = await Promise.all([run.viaLambda(request), run.viaGoogle(request)])
      const difference = request.differs?.google
      if (difference === undefined) {
        assertExpected(gcp, request)
        expect(view(gcp)).toEqual(view(lambda))
        return
      }
      // A documented platform difference: the platform's own answer, asserted as such.
      expect(gcp.status).toBe(difference.status)
      for (const [name, value] of Object.entries(difference.headers)) expect(gcp.headers.get(name), name).toBe(value)
      expect(view(gcp)).not.toEqual(view(lambda))
    })
  })
})
