/** PutEvents takes at most 10 entries per call. */
export const maxEntriesPerCall = 10

/** PutEvents' limit on a call's total entry size (counted as `entrySize` counts), 256 KB. */
export const maxRequestBytes = 256 * 1024

/** The fields of a PutEvents entry that count towards its size. */
export interface SizedEntry {
  Source?: string | undefined
  DetailType?: string | undefined
  Detail?: string | undefined
  Resources?: string[] | undefined
  Time?: Date | undefined
}

const bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'))

/**
 * An entry's size as EventBridge counts it: 14 bytes for `Time` when set, then the UTF-8 bytes of
 * `Source`, `DetailType`, `Detail` and each of `Resources`.
 */
export function entrySize(entry: SizedEntry): number {
  let size = entry.Time === undefined ? 0 : 14
  size += bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail)
  for (const resource of entry.Resources ?? []) size += bytes(resource)
  return size
}

/**
 * Splits items, in order, into PutEvents calls of at most 10 entries and 256 KB each. Every item
 * must fit a call on its own (the publisher checks that first).
 */
export function toBatches<T>(items: readonly T[], sizeOf: (item: T) => number): T[][] {
  const batches: T[][] = []
  let current: T[] = []
  let currentBytes = 0
  for (const item of items) {
    const size = sizeOf(item)
    if (current.length === maxEntriesPerCall || (current.length > 0 && currentBytes + size > maxRequestBytes)) {
      batches.push(current)
      current = []
      currentBytes = 0
    }
    current.push(item)
    currentBytes += size
  }
  if (current.length > 0) batches.push(current)
  return batches
}
