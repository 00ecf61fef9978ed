import { normalPath } from './request-path.js'

// API Gateway's route syntax: a segment is literal text, `{name}` (one segment) or, last,
// `{name+}` (the rest of the path, one segment or more). The matcher (rou3) has its own syntax,
// so a route string is checked here and translated: `{id}` → `:id`, `{proxy+}` → `**:proxy`.

const parameterSegment = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/
// Characters rou3 reads as pattern syntax in literal text; escaped, they match themselves.
const patternSyntax = /[:*()+\\]/g

const invalid = (path: string, why: string) => new TypeError(`router(): the route path ${JSON.stringify(path)} ${why}`)

function literalSegment(path: string, segment: string): string {
  if (segment.includes('{') || segment.includes('}')) {
    throw invalid(
      path,
      'has a "{" or "}" that is not a whole parameter segment; write /users/{id}, never /users/id-{id}.',
    )
  }
  if (segment === '.' || segment === '..') {
    throw invalid(path, 'has a "." or ".." segment; write the path it stands for.')
  }
  return normalPath(segment).replace(patternSyntax, '\\$&')
}

export interface MatcherPattern {
  /** The route in the matcher's syntax. */
  pattern: string
  /** The name of its greedy `{name+}` parameter, if it ends with one. */
  greedy: string | undefined
}

/** The route's pattern in the matcher's syntax; throws a TypeError naming the mistake. */
export function matcherPattern(path: unknown): MatcherPattern {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new TypeError(
      `router(): a route path is a string starting with "/", like "/users/{id}"; got ${JSON.stringify(path) ?? String(path)}.`,
    )
  }
  if (/[?#]/.test(path)) throw invalid(path, 'has a "?" or "#": routes match the path only, never the query.')
  // One trailing slash is ignored, as it is in requests.
  const segments = (path.length > 1 && path.endsWith('/') ? path.slice(1, -1) : path.slice(1)).split('/')
  const names = new Set<string>()
  let greedyName: string | undefined
  const pattern = segments.map((segment, index) => {
    if (segment === '' && segments.length > 1) throw invalid(path, 'has an empty segment ("//").')
    const parameter = parameterSegment.exec(segment)
    if (parameter === null) return literalSegment(path, segment)
    const [, name = '', greedy] = parameter
    if (name === '__proto__') throw invalid(path, 'names a parameter "__proto__"; choose another name.')
    if (names.has(name)) throw invalid(path, `names the parameter "${name}" twice.`)
    names.add(name)
    if (greedy === '') return `:${name}`
    if (index !== segments.length - 1)
      throw invalid(path, `has the greedy {${name}+} before its end; it must be the last segment.`)
    greedyName = name
    return `**:${name}`
  })
  return { pattern: `/${pattern.join('/')}`, greedy: greedyName }
}
