import { addRoute, createRouter, findRoute, type RouterContext, routeNodeKeys } from 'rou3'
import { decodeSegment } from './request-path.js'
import type { MatcherPattern } from './route-path.js'
import { createRouteTable, type Found, undecided } from './route-table.js'

// The routes of one router, held twice: in rou3's radix tree, the general matcher (every path,
// the `Allow` list, the check for a route that shadows another), and in the route table, which
// answers the common request faster and hands the rest to rou3 (see route-table.ts).

export interface Matcher<T> {
  /** Adds a route; `method` is '' for every method. */
  add(method: string, route: MatcherPattern, data: T): void
  /** The route a request takes: the route table, else rou3. */
  find(method: string, path: string): Found<T> | undefined
  /** The same answer from rou3 alone: the reference the route table is tested against. */
  findGeneral(method: string, path: string): Found<T> | undefined
  /** True when some route serves the method on the path. */
  serves(method: string, path: string): boolean
}

/** Where a route sits in the tree, whatever its parameters are named: two routes of one method may not share it. */
export const placeOf = (route: MatcherPattern) => routeNodeKeys(route.pattern)[0] as string

export function createMatcher<T extends { greedy: string | undefined }>(): Matcher<T> {
  const tree: RouterContext<T> = createRouter<T>()
  const table = createRouteTable<T>()

  function findGeneral(method: string, path: string): Found<T> | undefined {
    const match = findRoute(tree, method, path)
    if (match === undefined) return undefined
    const params: Record<string, string> = {}
    if (match.params !== undefined)
      for (const name in match.params) params[name] = decodeSegment(match.params[name] as string)
    // rou3 ignores one trailing slash; `/files/docs/` still names a folder.
    const greedy = match.data.greedy
    if (greedy !== undefined && path.endsWith('/')) params[greedy] += '/'
    return { data: match.data, params }
  }

  return {
    add(method, route, data) {
      addRoute(tree, method, route.pattern, data)
      table.add(method, route.segments, data)
    },
    find(method, path) {
      const found = table.find(method, path)
      return found === undecided ? findGeneral(method, path) : found
    },
    findGeneral,
    serves: (method, path) => findRoute(tree, method, path, { params: false }) !== undefined,
  }
}
