// How API Gateway's HTTP API hands a body to Lambda: text as it is, anything else base64-encoded
// with isBase64Encoded. The same rule on every platform keeps `validator()` and the router's
// view of a body identical whichever host received the request.

const textTypes = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql)\b)|[+/](json|xml)\b/i
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

export interface EventBody {
  body: string | undefined
  isBase64Encoded: boolean
}

/** The v2 event's body and isBase64Encoded for the bytes a platform received. */
export function eventBody(bytes: Uint8Array, contentType: string | null | undefined): EventBody {
  if (bytes.byteLength === 0) return { body: undefined, isBase64Encoded: false }
  const declaredText = contentType ? textTypes.test(contentType) : undefined
  if (declaredText !== false) {
    try {
      return { body: strictUtf8.decode(bytes), isBase64Encoded: false }
    } catch {
      // Not UTF-8 after all (or no content type and binary): base64 keeps every byte.
    }
  }
  return {
    body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    isBase64Encoded: true,
  }
}
