import { ValidationError } from '@lamina/validator'

type Unmarshall = (image: Record<string, unknown>) => Record<string, unknown>

// Loaded on the first DynamoDB stream record, so SQS and Kinesis users need no DynamoDB package.
// A module-wide cache of a module, not per-invocation state.
let loading: Promise<Unmarshall> | undefined

async function load(): Promise<Unmarshall> {
  try {
    const module = await import('@aws-sdk/util-dynamodb')
    return module.unmarshall as unknown as Unmarshall
  } catch (cause) {
    loading = undefined
    throw new Error(
      'DynamoDB stream records need @aws-sdk/util-dynamodb to turn their images into plain objects, and it could not be loaded: npm i @aws-sdk/util-dynamodb.',
      { cause },
    )
  }
}

/** A stream image (DynamoDB attribute values) as a plain object; `undefined` when absent. */
export async function unmarshallImage(image: unknown): Promise<Record<string, unknown> | undefined> {
  if (image === undefined || image === null) return undefined
  loading ??= load()
  const unmarshall = await loading
  try {
    return unmarshall(image as Record<string, unknown>)
  } catch (cause) {
    // An attribute type unmarshall does not know (a hand-made or future image).
    throw new ValidationError(
      "The DynamoDB record's image could not be read as plain values; read meta.record.dynamodb yourself.",
      { parts: ['event'], cause },
    )
  }
}
