// The list's `cursor` is DynamoDB's LastEvaluatedKey of the previous page, as base64url JSON. It is
// input like any other: decoded and checked by a schema before it reaches DynamoDB, so a cursor a
// client edited is a 400 that says what to send, never a 500 from a key DynamoDB refuses.
import { z } from 'zod'
import { orderKeyPattern } from './order-key.js'
import { Isbn } from './schema.js'

/** The one partition every book lives in (see the README's "Key design"). */
export const collection = 'books'

/** A position in the `byAdded` index: the table's key plus the index's sort key. */
export const PageKey = z.strictObject({
  collection: z.literal(collection),
  isbn: Isbn,
  added: z.string().regex(orderKeyPattern),
})
export type PageKey = z.output<typeof PageKey>

const maxCursorLength = 512
const rejected =
  'The cursor is not one this API gave out: pass the nextCursor of the previous page, or none for the first.'

export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

function decode(cursor: string): unknown {
  // Node's base64url decoder skips characters outside the alphabet; refuse them instead.
  if (cursor.length > maxCursorLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}

/** The `cursor` query parameter: a string in, the DynamoDB key out, or one issue on `query.cursor`. */
export const Cursor = z.string().transform((cursor, context): PageKey => {
  const key = PageKey.safeParse(decode(cursor))
  if (key.success) return key.data
  context.issues.push({ code: 'custom', message: rejected, input: cursor })
  return z.NEVER
})

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: Cursor.optional(),
})
