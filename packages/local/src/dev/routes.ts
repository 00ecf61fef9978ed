// Which function answers a request: the template's HTTP routes, most specific first, as API
// Gateway picks them (a literal segment beats `{param}`, which beats `{proxy+}`, which beats
// `$default`). A template with one function and no routes sends it everything.
import type { FunctionSpec, HttpEventFormat } from './template.js'

export interface RouteMatch {
  fn: FunctionSpec
  format: HttpEventFormat
  /** `POST /orders/{id}` or `$default`: the event's routeKey. */
  routeKey: string
  pathParameters: Record<string, string> | undefined
}

interface CompiledRoute {
  fn: FunctionSpec
  method: string
  path: string
  format: HttpEventFormat
  segments: string[]
  /** Lower sorts first. */
  rank: number[]
}

const segmentRank = (segment: string) => (segment.endsWith('+}') ? 2 : segment.startsWith('{') ? 1 : 0)

function compile(fn: FunctionSpec, method: string, path: string, format: HttpEventFormat): CompiledRoute {
  const segments = path === '$default' ? [] : path.split('/').filter(Boolean)
  const rank = path === '$default' ? [3] : [...segments.map(segmentRank), method === 'ANY' ? 1 : 0]
  return { fn, method, path, format, segments, rank }
}

const compareRanks = (a: CompiledRoute, b: CompiledRoute) => {
  for (let index = 0; index < Math.max(a.rank.length, b.rank.length); index++) {
    const difference = (a.rank[index] ?? -1) - (b.rank[index] ?? -1)
    if (difference !== 0) return difference
  }
  return 0
}

function matchSegments(route: CompiledRoute, parts: string[]): Record<string, string> | undefined | false {
  if (route.path === '$default') return undefined
  const parameters: Record<string, string> = {}
  for (let index = 0; index < route.segments.length; index++) {
    const segment = route.segments[index] as string
    const part = parts[index]
    if (segment.endsWith('+}')) {
      if (parts.length <= index) return false
      parameters[segment.slice(1, -2)] = parts.slice(index).join('/')
      return parameters
    }
    if (part === undefined) return false
    if (segment.startsWith('{')) parameters[segment.slice(1, -1)] = part
    else if (segment !== part) return false
  }
  if (parts.length !== route.segments.length) return false
  return Object.keys(parameters).length > 0 ? parameters : undefined
}

const decode = (part: string) => {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

export type Router = (method: string, path: string) => RouteMatch | undefined

export function createRouter(functions: FunctionSpec[], forcedFormat?: HttpEventFormat): Router {
  const only = functions.length === 1 ? functions[0] : undefined
  const declared = functions.flatMap((fn) =>
    fn.routes.map((route) => compile(fn, route.method, route.path, route.format)),
  )
  const routes = declared.length === 0 && only ? [compile(only, 'ANY', '$default', 'v2')] : declared
  routes.sort(compareRanks)
  return (method, path) => {
    const parts = path.split('/').filter(Boolean).map(decode)
    for (const route of routes) {
      if (route.method !== 'ANY' && route.method !== method) continue
      const parameters = matchSegments(route, parts)
      if (parameters === false) continue
      const routeKey = route.path === '$default' ? '$default' : `${route.method} ${route.path}`
      return { fn: route.fn, format: forcedFormat ?? route.format, routeKey, pathParameters: parameters }
    }
    return undefined
  }
}
