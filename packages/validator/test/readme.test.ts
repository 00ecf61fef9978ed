// The README's examples, read from the README and run: the answers it shows, including its JSON
// error response, come from the documented code itself.
import { createContext, events } from '@lamina/testing'
import { describe, expect, it } from 'vitest'
import { importReadmeExample, readReadme } from '../../../test/support/readme-example.ts'

type Answer = { statusCode: number; body: string }
type Handler = (event: unknown, context: unknown) => Promise<Answer>

const readme = 'packages/validator/README.md'
const { handler } = (await importReadmeExample(readme, 'handler')) as { handler: Handler }
const { signup } = (await importReadmeExample(readme, 'signup')) as { signup: Handler }

/** The first ```json block: the error response the README shows for its bad request. */
async function documentedErrorResponse(): Promise<Record<string, unknown>> {
  const json = /```json\n([\s\S]*?)```/.exec(await readReadme(readme))?.[1]
  if (json === undefined) throw new Error(`${readme} has no \`\`\`json block; update the test or the README.`)
  return JSON.parse(json)
}

describe('the validator README example', () => {
  it('gives the handler the schema outputs for a good request', async () => {
    const event = events.apiGatewayV2({ body: { sku: 'A-1', quantity: '2' }, query: { dryRun: 'yes' } })
    const response = await handler(event, createContext())
    expect(response).toEqual({ statusCode: 201, body: JSON.stringify({ sku: 'A-1' }) })
  })

  it('answers {"sku":"","quantity":-2} with exactly the JSON the README shows', async () => {
    // Prepare
    const context = createContext()
    const documented = await documentedErrorResponse()
    // Act
    const response = await handler(events.apiGatewayV2({ body: { sku: '', quantity: -2 } }), context)
    // Assess: everything but the request id, which is each invocation's own.
    expect(response.statusCode).toBe(400)
    expect(JSON.parse(response.body)).toEqual({ ...documented, requestId: context.awsRequestId })
  })
})

describe('the validator README form example', () => {
  it('parses a form post, repeated fields as arrays', async () => {
    const event = events.apiGatewayV2({
      body: 'email=ada%40example.com&tags=a&tags=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    const response = await signup(event, createContext())
    expect(response).toEqual({ statusCode: 201, body: JSON.stringify({ email: 'ada@example.com' }) })
  })
})
