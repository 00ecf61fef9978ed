import { normalPath } from './request-path.js'

// API Gateway's route syntax: a segment is literal text, `{name}` (one segment) or, last,
// `{name+}` (the rest of the path, one segment or more). The matcher (rou3) has its own syntax,
// so a route string is checked here and translated: `{id}` → `:id`, `{proxy+}` → `**:proxy`.

const parameterSegment = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/
// Characters rou3 reads as pattern syntax in literal text; escaped, they match themselves.
const patternSyntax = /[:*()+\\]/g

const invalid = (path: string, why: string) => new TypeError(`router(): the route path ${JSON.stringify(path)} ${why}`)

/** One segment of a route: literal text (in the normal form requests are brought to), `{name}` or `{name+}`. */
export type RouteSegment =
  | { kind: 'literal'; text: string }
  | { kind: 'parameter'; name: string }
  | { kind: 'greedy'; name: string }

function literalSegment(path: string, segment: string): string {
  if (segment.includes('{') || segment.includes('}')) {
    throw invalid(
      path,
      'has a "{" or "}" that is not a whole parameter segment; write /users/{id}, never /users/id-{id}.',
    )
  }
  // Encoded too (`%2e`): it is a dot once brought to normal form, and the matcher would resolve it.
  const normal = normalPath(segment)
  if (normal === '.' || normal === '..') {
    throw invalid(path, 'has a "." or ".." segment (or one encoded as %2e); write the path it stands for.')
  }
  return normal
}

export interface MatcherPattern {
  /** The route in the matcher's syntax. */
  pattern: string
  /** The name of its greedy `{name+}` parameter, if it ends with one. */
  greedy: string | undefined
  /** Its segments after the leading "/" (none for "/"). */
  segments: RouteSegment[]
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
  const parsed = segments.map((segment, index): RouteSegment => {
    if (segment === '' && segments.length > 1) throw invalid(path, 'has an empty segment ("//").')
    const parameter = parameterSegment.exec(segment)
    if (parameter === null) return { kind: 'literal', text: literalSegment(path, segment) }
    const [, name = '', greedy] = parameter
    if (name === '__proto__') throw invalid(path, 'names a parameter "__proto__"; choose another name.')
    if (names.has(name)) throw invalid(path, `names the parameter "${name}" twice.`)
    names.add(name)
    if (greedy === '') return { kind: 'parameter', name }
    if (index !== segments.length - 1)
      throw invalid(path, `has the greedy {${name}+} before its end; it must be the last segment.`)
    greedyName = name
    return { kind: 'greedy', name }
  })
  const pattern = parsed.map((segment) => {
    if (segment.kind === 'parameter') return `:${segment.name}`
    if (segment.kind === 'greedy') return `**:${segment.name}`
    return segment.text.replace(patternSyntax, '\\$&')
  })
  return {
    pattern: `/${pattern.join('/')}`,
    greedy: greedyName,
    segments: segments.length === 1 && segments[0] === '' ? [] : parsed,
  }
}
