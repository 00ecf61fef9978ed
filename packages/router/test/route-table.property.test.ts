// The route table (the fast path every request goes through first) must answer exactly as rou3,
// the general matcher it stands in for: same route, same parameters, on any table of routes and
// any request path. It may leave a path to rou3 only when the path has an empty segment.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMatcher, placeOf } from '../src/matcher.js'
import { normalPath } from '../src/request-path.js'
import { matcherPattern } from '../src/route-path.js'
import { createRouteTable, undecided } from '../src/route-table.js'

interface Data {
  id: number
  greedy: string | undefined
}

// Few distinct words, so that generated routes and requests overlap often; some hold characters
// rou3 reads as pattern syntax, some are percent-encoded.
const words = ['a', 'b', 'users', 'me', 'x:y', 'a(b)', 'p*', 'q+', 'caf%C3%A9', '%41', 'é', 'a b', '.', '..', '%2e']
const word = fc.constantFrom(...words.filter((text) => !['.', '..', '%2e'].includes(text)))
const routeSegment = fc.oneof(
  { weight: 3, arbitrary: word },
  { weight: 2, arbitrary: fc.constantFrom('{id}', '{name}', '{other}') },
)
const routePath = fc
  .tuple(
    fc.array(routeSegment, { maxLength: 4 }),
    fc.option(fc.constantFrom('{proxy+}', '{rest+}'), { freq: 3 }),
    fc.boolean(),
  )
  .map(([segments, greedy, slash]) => {
    // Parameter names must differ within a route: number them.
    const named = segments.map((segment, index) =>
      segment.startsWith('{') ? `{${segment.slice(1, -1)}${index}}` : segment,
    )
    const all = greedy === null ? named : [...named, greedy]
    return `/${all.join('/')}${slash && all.length > 0 ? '/' : ''}`
  })
const routeMethod = fc.constantFrom('GET', 'POST', 'HEAD', '')
const routes = fc.array(fc.tuple(routeMethod, routePath), { maxLength: 12 })

const requestSegment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...words, 'A', '%61', '%FF', 'x%3Ay', '42', 'files') },
  { weight: 1, arbitrary: fc.constantFrom('') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }).filter((text) => !text.includes('/')) },
)
const requestPath = fc
  .tuple(fc.array(requestSegment, { maxLength: 6 }), fc.constantFrom('', '/', '//'))
  .map(([segments, end]) => normalPath(`/${segments.join('/')}${segments.length > 0 ? end : ''}`))
const requestMethod = fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', '')

/** The same generated routes in a matcher and in a bare route table; a route that would shadow an earlier one is skipped, as the router refuses it. */
function build(table: [string, string][]) {
  const matcher = createMatcher<Data>()
  const routeTable = createRouteTable<Data>()
  const taken = new Set<string>()
  for (const [id, [method, path]] of table.entries()) {
    const route = matcherPattern(path)
    const place = `${method} ${placeOf(route)}`
    if (taken.has(place)) continue
    taken.add(place)
    const data = { id, greedy: route.greedy }
    matcher.add(method, route, data)
    routeTable.add(method, route.segments, data)
  }
  return { matcher, routeTable }
}

/** `/a//b`, `/a//`, `//`: a segment is empty once one trailing slash is set aside. */
const hasEmptySegment = (path: string) =>
  path !== '/' &&
  path
    .slice(1, path.endsWith('/') ? -1 : undefined)
    .split('/')
    .includes('')

describe('the route table', () => {
  it('answers every request it decides exactly as rou3, and decides every path without an empty segment', () => {
    fc.assert(
      fc.property(
        routes,
        fc.array(fc.tuple(requestMethod, requestPath), { minLength: 1, maxLength: 20 }),
        (table, requests) => {
          // Prepare
          const { matcher, routeTable } = build(table)
          for (const [method, path] of requests) {
            // Act
            const fast = routeTable.find(method, path)
            const general = matcher.findGeneral(method, path)
            // Assess
            if (!hasEmptySegment(path)) expect(fast).not.toBe(undecided)
            if (fast !== undecided) expect(fast).toEqual(general)
          }
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('leaves to rou3 what it does not decide: the matcher answers every request as rou3 does', () => {
    fc.assert(
      fc.property(
        routes,
        fc.array(fc.tuple(requestMethod, requestPath), { minLength: 1, maxLength: 20 }),
        (table, requests) => {
          const { matcher } = build(table)
          for (const [method, path] of requests)
            expect(matcher.find(method, path)).toEqual(matcher.findGeneral(method, path))
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('hands the path with an empty segment to rou3, which serves it by a greedy parameter', () => {
    // Prepare
    const { matcher, routeTable } = build([['GET', '/files/{proxy+}']])
    // Act
    const fast = routeTable.find('GET', '/files/a//b')
    const served = matcher.find('GET', '/files/a//b')
    // Assess
    expect(fast).toBe(undecided)
    expect(served).toEqual(matcher.findGeneral('GET', '/files/a//b'))
  })

  it('gives each request a parameter object of its own', () => {
    // Prepare
    const { matcher } = build([['GET', '/users/{id}']])
    // Act
    const first = matcher.find('GET', '/users/1')
    const second = matcher.find('GET', '/users/1')
    // Assess
    expect(first?.params).toEqual({ id: '1' })
    expect(first?.params).not.toBe(second?.params)
  })
})
