// One form for every path, whichever source delivered it: REST APIs, ALBs and function URLs pass
// the path percent-encoded as the client sent it, HTTP APIs pass it decoded. Both become the
// RFC 3986 normal form the matcher compares: escapes upper-cased, escaped unreserved characters
// (`%41`) decoded, every character a path cannot hold literally (a space, `é`, a bare `%`, `|`)
// encoded as UTF-8. Route strings are put in the same form when they are registered.

// Characters a path segment may hold literally (RFC 3986 pchar) and the separator.
const literal = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/
const unreserved = /^[A-Za-z0-9\-._~]$/
const hexPair = /^[0-9A-Fa-f]{2}$/

function encodeCharacter(path: string, index: number): [encoded: string, width: number] {
  const codePoint = path.codePointAt(index) as number
  if (codePoint > 0xffff) return [encodeURIComponent(String.fromCodePoint(codePoint)), 2]
  // A lone surrogate cannot be UTF-8 encoded: it stands for the replacement character, as in URLs.
  const isSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff
  return [encodeURIComponent(isSurrogate ? '\uFFFD' : (path[index] as string)), 1]
}

function normalise(path: string): string {
  let normal = ''
  for (let index = 0; index < path.length; ) {
    const character = path[index] as string
    if (character === '%') {
      const hex = path.slice(index + 1, index + 3)
      if (hexPair.test(hex)) {
        const decoded = String.fromCharCode(Number.parseInt(hex, 16))
        normal += unreserved.test(decoded) ? decoded : `%${hex.toUpperCase()}`
        index += 3
      } else {
        normal += '%25'
        index += 1
      }
    } else if (literal.test(character)) {
      normal += character
      index += 1
    } else {
      const [encoded, width] = encodeCharacter(path, index)
      normal += encoded
      index += width
    }
  }
  return normal
}

// The same characters as `literal`, by code: a loop over them is cheaper than the regex on every request.
const literalCodes = new Uint8Array(128)
for (let code = 0; code < 128; code++) literalCodes[code] = literal.test(String.fromCharCode(code)) ? 1 : 0

/** The path in the one form the matcher compares; a plain ASCII path is returned as it is. */
export function normalPath(path: string): string {
  for (let index = 0; index < path.length; index++) {
    const code = path.charCodeAt(index)
    if (code >= 128 || literalCodes[code] === 0) return normalise(path)
  }
  return path
}

/**
 * A matched segment as the handler sees it: percent-decoded. A sequence that is not UTF-8
 * (`%FF`) stays as it came, so a path parameter is always a string and matching never throws.
 */
export function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
