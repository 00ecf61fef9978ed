import { createHash, timingSafeEqual } from 'node:crypto'
import type { Middleware } from '@lamina/core'
import { Unauthorized } from '@lamina/errors'
import { z } from 'zod'

/** The secret's JSON (`{"apiKey": "..."}`); `apiKey` is a sensitive key, so its value is masked in every log line. */
export const ApiKeySecret = z.object({ apiKey: z.string().min(16) })

type Headers = Record<string, string | undefined> | null | undefined

/** Compares digests, so the time taken says nothing about how much of the key was right. */
const sameKey = (sent: string, expected: string) =>
  timingSafeEqual(createHash('sha256').update(sent).digest(), createHash('sha256').update(expected).digest())

const header = (headers: Headers, name: string) =>
  Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1]

/**
 * Refuses a request whose `x-api-key` header is not the key in `context.secrets.api`: goes after
 * `secrets()` and before `validator()`, so a caller without the key learns nothing of the schema.
 */
export const requireApiKey = (): Middleware<
  {},
  { headers?: Headers },
  { secrets: { readonly api: z.output<typeof ApiKeySecret> } }
> => ({
  name: 'api-key',
  before({ event, context }) {
    const sent = header(event.headers, 'x-api-key')
    if (sent === undefined || sent === '') {
      throw new Unauthorized('This request changes data: send the API key in the x-api-key header.')
    }
    if (!sameKey(sent, context.secrets.api.apiKey)) {
      throw new Unauthorized('The x-api-key header does not hold the API key: check the key you were given.')
    }
  },
})
