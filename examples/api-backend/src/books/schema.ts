import { z } from 'zod'

/** ISBN-13, digits only, with a valid check digit: the book's key, so adding the same book twice is a 409. */
export const Isbn = z
  .string()
  .regex(/^97[89]\d{10}$/, 'An ISBN-13 is 13 digits starting 978 or 979, without hyphens.')
  .refine(hasValidCheckDigit, 'The ISBN-13 check digit (its last digit) does not match the first twelve.')

export function hasValidCheckDigit(isbn: string): boolean {
  let sum = 0
  for (let index = 0; index < 12; index++) sum += Number(isbn[index]) * (index % 2 === 0 ? 1 : 3)
  return (10 - (sum % 10)) % 10 === Number(isbn[12])
}

const fields = {
  title: z.string().trim().min(1).max(200),
  author: z.string().trim().min(1).max(120),
  year: z.number().int().min(1450).max(2100).optional(),
}

/** POST /books: the client names the book by its ISBN. */
export const NewBook = z.strictObject({ isbn: Isbn, ...fields })

/** PUT /books/{isbn}: the whole book, and the version it was read at (optimistic concurrency). */
export const BookUpdate = z.strictObject({ ...fields, version: z.number().int().min(1) })

export const BookPath = z.object({ isbn: Isbn })

export type NewBook = z.output<typeof NewBook>
export type BookUpdate = z.output<typeof BookUpdate>

/** What the API answers for a book. */
export interface Book {
  isbn: string
  title: string
  author: string
  year?: number
  version: number
  createdAt: string
  updatedAt: string
}
