// The books table through DynamoDB's document client. Every write is conditional: a create that
// would overwrite and an update or delete of something that changed or is gone are refused by
// DynamoDB itself, atomically, and answered 409 or 404.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { Conflict, NotFound } from '@lamina/errors'
import { collection, encodeCursor, type PageKey } from './cursor.js'
import { nextOrderKey } from './order-key.js'
import type { Book, BookUpdate, NewBook } from './schema.js'

/** The index that lists books in the order they were added (a local secondary index: strongly consistent reads). */
export const listIndex = 'byAdded'

interface StoredBook extends Book {
  collection: typeof collection
  added: string
}

export interface Page {
  items: Book[]
  nextCursor: string | null
}

const toBook = ({ collection: _, added: __, ...book }: StoredBook): Book => book

const notFound = (isbn: string) => new NotFound(`No book with ISBN ${isbn}.`)

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as Error | undefined)?.name === 'ConditionalCheckFailedException'

/** The books in `table`; made per invocation (it holds nothing), on the shared client. */
export function booksTable(db: DynamoDBDocumentClient, table: string, abortSignal: AbortSignal) {
  const key = (isbn: string) => ({ collection, isbn })

  const read = async (isbn: string) => {
    const { Item } = await db.send(new GetCommand({ TableName: table, Key: key(isbn), ConsistentRead: true }), {
      abortSignal,
    })
    return Item as StoredBook | undefined
  }

  return {
    async create(input: NewBook): Promise<Book> {
      const now = new Date().toISOString()
      const book: StoredBook = {
        collection,
        ...input,
        added: nextOrderKey(input.isbn),
        version: 1,
        createdAt: now,
        updatedAt: now,
      }
      try {
        await db.send(
          new PutCommand({ TableName: table, Item: book, ConditionExpression: 'attribute_not_exists(isbn)' }),
          { abortSignal },
        )
      } catch (error) {
        if (!isConditionFailure(error)) throw error
        throw new Conflict(
          `A book with ISBN ${input.isbn} already exists: GET it, or PUT /books/${input.isbn} to change it.`,
        )
      }
      return toBook(book)
    },

    async get(isbn: string): Promise<Book> {
      const book = await read(isbn)
      if (book === undefined) throw notFound(isbn)
      return toBook(book)
    },

    /** One page, oldest first; `after` is the previous page's last key. */
    async list(limit: number, after: PageKey | undefined): Promise<Page> {
      // One more than asked: if it comes back there is a next page, so the last page never
      // carries a cursor that leads to an empty one.
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: listIndex,
          KeyConditionExpression: '#collection = :collection',
          ExpressionAttributeNames: { '#collection': 'collection' },
          ExpressionAttributeValues: { ':collection': collection },
          ConsistentRead: true,
          Limit: limit + 1,
          ExclusiveStartKey: after,
        }),
        { abortSignal },
      )
      const page = (Items as StoredBook[]).slice(0, limit)
      const last = page.at(-1)
      // A full page with more behind it, or a page DynamoDB cut short at its 1 MB limit.
      const more = Items.length > limit || LastEvaluatedKey !== undefined
      return {
        items: page.map(toBook),
        nextCursor: more && last ? encodeCursor({ collection, isbn: last.isbn, added: last.added }) : null,
      }
    },

    async update(isbn: string, { version, ...fields }: BookUpdate): Promise<Book> {
      // `year` is a DynamoDB reserved word: every name goes through a placeholder.
      const names = {
        '#title': 'title',
        '#author': 'author',
        '#year': 'year',
        '#version': 'version',
        '#updatedAt': 'updatedAt',
      }
      const values: Record<string, unknown> = {
        ':title': fields.title,
        ':author': fields.author,
        ':expected': version,
        ':next': version + 1,
        ':now': new Date().toISOString(),
      }
      const set = ['#title = :title', '#author = :author', '#version = :next', '#updatedAt = :now']
      if (fields.year !== undefined) {
        set.push('#year = :year')
        values[':year'] = fields.year
      }
      // PUT replaces the book: a year left out is removed.
      const expression = `SET ${set.join(', ')}${fields.year === undefined ? ' REMOVE #year' : ''}`
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: table,
            Key: key(isbn),
            UpdateExpression: expression,
            ConditionExpression: 'attribute_exists(isbn) AND #version = :expected',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
          { abortSignal },
        )
        return toBook(Attributes as StoredBook)
      } catch (error) {
        if (!isConditionFailure(error)) throw error
      }
      // The condition failed: the book is gone, or someone else changed it first. One read says which.
      const current = await read(isbn)
      if (current === undefined) throw notFound(isbn)
      throw new Conflict(
        `Book ${isbn} changed since version ${version} (it is at version ${current.version}): GET it again, reapply your change and PUT with that version.`,
      )
    },

    async remove(isbn: string): Promise<void> {
      try {
        await db.send(
          new DeleteCommand({ TableName: table, Key: key(isbn), ConditionExpression: 'attribute_exists(isbn)' }),
          { abortSignal },
        )
      } catch (error) {
        if (!isConditionFailure(error)) throw error
        throw notFound(isbn)
      }
    },
  }
}
