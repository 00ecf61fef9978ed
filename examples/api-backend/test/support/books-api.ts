import { readFileSync } from 'node:fs'
// Starts what the books API talks to (dynalite for DynamoDB, a Secrets Manager stand-in), points
// the function's real AWS SDK clients at them through the AWS_ENDPOINT_URL_* variables, and loads
// the function as Lambda would: after its environment is set.
import { ScanCommand } from '@aws-sdk/client-dynamodb'
import { type CapturedOutput, captureOutput, events, invoke, setLambdaEnvironment } from '@lamina/testing'
import { type Dynalite, startDynalite } from '../../../../test/support/dynalite.ts'
import {
  type SecretsManagerServer,
  startSecretsManagerServer,
} from '../../../../test/support/secrets-manager-server.ts'
import { createTemplateTable } from './template-table.ts'

/** The key `lamina dev` serves from secrets.local.json, and the sample events in events/ carry. */
export const apiKey: string = JSON.parse(readFileSync(new URL('../../secrets.local.json', import.meta.url), 'utf8'))
  .ApiKeySecret.apiKey

export interface BooksApi {
  dynalite: Dynalite
  secretsManager: SecretsManagerServer
  output: CapturedOutput
  handler: typeof import('../../src/handler.ts').handler
  /** One request through the handler; the body parsed when it is JSON. */
  request(input: Request): Promise<Answer>
  /** Deletes every item, between property runs. */
  clear(): Promise<void>
  stop(): Promise<void>
}

export interface Request {
  method: string
  path: string
  body?: unknown
  query?: Record<string, string>
  headers?: Record<string, string>
  /** Send the API key (default: for POST, PUT and DELETE). */
  key?: boolean
}

export interface Answer {
  status: number
  headers: Record<string, string>
  body: any
}

export async function startBooksApi(extraEnv: Record<string, string> = {}): Promise<BooksApi> {
  const dynalite = await startDynalite()
  const table = await createTemplateTable(dynalite.client(), 'BooksTable')
  const secretsManager = await startSecretsManagerServer()
  secretsManager.setSecret('ApiKeySecret', JSON.stringify({ apiKey }))
  const restore = setLambdaEnvironment({
    AWS_EXECUTION_ENV: undefined,
    POWERTOOLS_SERVICE_NAME: 'books-api',
    TABLE_NAME: table,
    API_KEY_SECRET_ID: 'ApiKeySecret',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
    ...extraEnv,
  })
  // Everything Powertools writes (logs, EMF documents) is kept for the assertions.
  const output = captureOutput()
  const { handler } = await import('../../src/handler.ts')

  const request = async ({ method, path, body, query, headers = {}, key }: Request): Promise<Answer> => {
    const sendKey = key ?? method !== 'GET'
    const event = events.apiGatewayV2({
      method,
      path,
      body,
      ...(query ? { query } : {}),
      headers: { ...(sendKey ? { 'x-api-key': apiKey } : {}), ...headers },
    })
    // Every route answers this shape (the router's own 204 for OPTIONS too).
    const response = (await invoke(handler, event)) as {
      statusCode: number
      headers?: Record<string, string>
      body?: string
    }
    const text = typeof response.body === 'string' ? response.body : ''
    const json = response.headers?.['content-type']?.includes('json') && text !== ''
    return {
      status: response.statusCode,
      headers: response.headers ?? {},
      body: json ? JSON.parse(text) : text,
    }
  }

  const admin = dynalite.client()
  const clear = async () => {
    const { Items = [] } = await admin.send(new ScanCommand({ TableName: table }))
    for (const item of Items) {
      await request({ method: 'DELETE', path: `/books/${item.isbn?.S}` })
    }
  }

  return {
    dynalite,
    secretsManager,
    output,
    handler,
    request,
    clear,
    stop: async () => {
      output.restore()
      restore()
      await secretsManager.close()
      await dynalite.stop()
    },
  }
}

/** A valid ISBN-13 from 978 and nine digits: the check digit computed. */
export function isbnFrom(nineDigits: string): string {
  const twelve = `978${nineDigits}`
  let sum = 0
  for (let index = 0; index < 12; index++) sum += Number(twelve[index]) * (index % 2 === 0 ? 1 : 3)
  return `${twelve}${(10 - (sum % 10)) % 10}`
}
