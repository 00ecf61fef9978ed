// The README's snippet, run as written: if this breaks, so does the documentation.
import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { createContext, events } from '@lamina/testing'
import { validator } from '@lamina/validator'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

const CreateOrder = z.object({
  sku: z.string().min(1),
  quantity: z.coerce.number().int().positive(),
  gift: z.boolean().default(false),
})

export const handler = wrap<APIGatewayProxyEventV2>()
  .use(errorMapper())
  .use(validator({ body: CreateOrder, query: z.object({ dryRun: z.stringbool().default(false) }) }))
  .handler(async (event) => {
    return {
      statusCode: 201,
      body: JSON.stringify({
        sku: event.body.sku,
        quantity: event.body.quantity,
        dryRun: event.queryStringParameters.dryRun,
      }),
    }
  })

describe('README example', () => {
  it('answers 201 with the schema outputs for a good request', async () => {
    const event = events.apiGatewayV2({ body: { sku: 'A-1', quantity: '2' }, query: { dryRun: 'yes' } })
    const response = await handler(event, createContext())
    expect(response.statusCode).toBe(201)
    expect(JSON.parse(response.body)).toEqual({ sku: 'A-1', quantity: 2, dryRun: true })
  })

  it('answers 400 with the issues shown in the README for a bad one', async () => {
    const context = createContext()
    const response = (await handler(events.apiGatewayV2({ body: { sku: '', quantity: -2 } }), context)) as {
      statusCode: number
      body: string
    }
    expect(response.statusCode).toBe(400)
    expect(JSON.parse(response.body)).toEqual({
      message: 'The request body did not pass validation; fix the fields listed in issues.',
      requestId: context.awsRequestId,
      issues: [
        { path: ['body', 'sku'], message: 'Too small: expected string to have >=1 characters' },
        { path: ['body', 'quantity'], message: 'Too small: expected number to be >0' },
      ],
    })
  })
})
