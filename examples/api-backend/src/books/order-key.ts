// The list is in the order books were added. Each book gets an `added` key when it is created,
// never changed afterwards: `<ISO time>#<sequence>#<isbn>`. Keys sort as strings, so a DynamoDB
// Query on them returns books oldest first, and a page boundary (the last key of a page) stays
// put however many books are added later.

/**
 * The last time and sequence handed out by this process. Process-wide on purpose (not
 * per-invocation state): it keeps keys made by one instance increasing even when the clock stands
 * still within a millisecond or steps back, also across invocations that overlap in one process.
 */
let last = { ms: 0, sequence: 0 }

const sequenceDigits = 4 // base 36: 1.6 million keys per millisecond before the order could wrap

/** The creation-order key of a book created now. */
export function nextOrderKey(isbn: string, now = Date.now()): string {
  last = now > last.ms ? { ms: now, sequence: 0 } : { ms: last.ms, sequence: last.sequence + 1 }
  const sequence = last.sequence.toString(36).padStart(sequenceDigits, '0')
  return `${new Date(last.ms).toISOString()}#${sequence}#${isbn}`
}

/** What `nextOrderKey` makes, for checking a key that came back from a client inside a cursor. */
export const orderKeyPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9a-z]{4,}#97[89]\d{10}$/
