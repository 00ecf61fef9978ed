import {
  type AnyMiddleware,
  type Context,
  type EventSource,
  eventSource,
  type HandlerOptions,
  type HttpEventSource,
  isHttpEventSource,
  wrap,
} from '@lamina/core'
import { createHttpError } from '@lamina/errors'
import { answer, withoutBody } from './http-answer.js'
import { methodOf, pathOf } from './http-event.js'
import { createMatcher, placeOf } from './matcher.js'
import { normalPath } from './request-path.js'
import { matcherPattern } from './route-path.js'
import type { Found } from './route-table.js'
import type { HttpEvent, RouteMethod, Router } from './types.js'

type Handler = (event: any, context: any, options: HandlerOptions) => unknown
interface Route {
  handler: Handler
  /** The greedy parameter's name: it keeps a trailing slash, as API Gateway and Middy give it. */
  greedy: string | undefined
}

// The methods a request is matched for. Any other (TRACE, a typo) only finds ANY routes.
const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
const knownMethods = new Set<string>(methods)
const routeMethods = new Set<string>([...methods, 'ANY'])

// rou3 stores routes for every method under the method ''.
const matcherMethod = (method: string) => (method === 'ANY' ? '' : method)

function describe(event: unknown, source: EventSource): string {
  if (event === null) return 'null'
  if (typeof event !== 'object') return `a ${typeof event}`
  return source === 'unknown' ? 'an object of no known shape' : `an event from ${source}`
}

function notHttp(event: unknown, source: EventSource): TypeError {
  return new TypeError(
    `router(): the event is ${describe(event, source)}, not an HTTP request from API Gateway (REST or HTTP API), an ALB or a function URL; give other sources their own handler.`,
  )
}

const notFound = () => createHttpError(404, 'No route matches the request path.')

const methodNotAllowed = (allow: string) =>
  createHttpError(405, 'The request method is not allowed on this path; the Allow header lists those that are.', {
    headers: { allow },
  })

function checkHandler(method: string, path: string, handler: unknown): asserts handler is Handler {
  if (typeof handler !== 'function') {
    throw new TypeError(
      `router(): the handler for ${method} ${path} is ${handler === null ? 'null' : typeof handler}; pass a function (event, context) => response, or a wrap() chain.`,
    )
  }
}

/**
 * An HTTP router for Lambda: `router().get('/users/{id}', handler)`. The router is itself a
 * handler: `wrap(app)` or `wrap<Event>().use(errorMapper()).handler(app)`. Unmatched paths throw
 * a 404 and unserved methods a 405 (with `allow`), both `HttpError`s for `errorMapper` to answer.
 */
export function router<TEvent = HttpEvent, TContext = Context>(): Router<TEvent, TContext> {
  const matcher = createMatcher<Route>()
  // Which route holds each method's place on each node of the tree, to refuse a shadowed twin.
  const taken = new Map<string, string>()

  function register(method: unknown, path: unknown, ...rest: unknown[]): Router<TEvent, TContext> {
    const verb = typeof method === 'string' ? method.toUpperCase() : ''
    if (!routeMethods.has(verb)) {
      throw new TypeError(
        `router(): ${JSON.stringify(method) ?? String(method)} is not a route method; use one of ${[...routeMethods].join(', ')}.`,
      )
    }
    const route = matcherPattern(path)
    const [middlewares, handler] = rest.length > 1 ? rest : [undefined, rest[0]]
    checkHandler(verb, path as string, handler)
    if (middlewares !== undefined && !Array.isArray(middlewares)) {
      throw new TypeError(
        `router(): the middlewares for ${verb} ${path as string} must be an array, as in .get(path, [validator(...)], handler).`,
      )
    }
    const key = `${verb} ${placeOf(route)}`
    const earlier = taken.get(key)
    if (earlier !== undefined) {
      throw new TypeError(
        `router(): ${verb} ${path as string} matches the same requests as ${verb} ${earlier}, registered first; keep one of them.`,
      )
    }
    taken.set(key, path as string)
    // A route's own middlewares run in a chain of their own, inside the router-wide ones.
    const routeHandler = middlewares ? (wrap(handler).use(middlewares as AnyMiddleware[]) as Handler) : handler
    matcher.add(matcherMethod(verb), route, { handler: routeHandler, greedy: route.greedy })
    return app
  }

  /** Every method some route serves on this path, as the `Allow` header lists them. */
  function allowedOn(path: string): string[] {
    const allowed = methods.filter((method) => matcher.serves(method, path))
    if (allowed.length === 0) return allowed
    // HEAD is answered by GET, and OPTIONS by the router itself, on every routed path.
    if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.splice(allowed.indexOf('GET') + 1, 0, 'HEAD')
    if (!allowed.includes('OPTIONS')) allowed.push('OPTIONS')
    return allowed
  }

  function dispatch(event: unknown, context: unknown, options: HandlerOptions | undefined): unknown {
    const source = eventSource(event)
    if (!isHttpEventSource(source)) throw notHttp(event, source)
    const request = event as object
    const rawPath = pathOf(request, source)
    if (typeof rawPath !== 'string' || !rawPath.startsWith('/')) throw notFound()
    const path = normalPath(rawPath)
    const method = methodOf(request, source)
    // No closure is made per request: the handler's call and HEAD's body removal are functions of their arguments.
    if (method === 'HEAD') {
      // A route for HEAD (or ANY) if there is one, else the GET route; never a body.
      const head = matcher.find('HEAD', path) ?? matcher.find('GET', path)
      if (head !== undefined) return headAnswer(serve(head, request, context, options), source)
    } else {
      const match = matcher.find(knownMethods.has(method) ? method : '', path)
      if (match !== undefined) return serve(match, request, context, options)
    }
    const allowed = allowedOn(path)
    if (allowed.length === 0) throw notFound()
    if (method === 'OPTIONS') return answer(source as HttpEventSource, request, 204, { allow: allowed.join(', ') })
    throw methodNotAllowed(allowed.join(', '))
  }

  const app = ((event: unknown, context: unknown, options?: HandlerOptions) => {
    try {
      return Promise.resolve(dispatch(event, context, options))
    } catch (error) {
      return Promise.reject(error)
    }
  }) as Router<TEvent, TContext>

  const on =
    (method: RouteMethod) =>
    (path: unknown, ...rest: unknown[]) =>
      register(method, path, ...rest)
  Object.assign(app, {
    get: on('GET'),
    head: on('HEAD'),
    post: on('POST'),
    put: on('PUT'),
    patch: on('PATCH'),
    delete: on('DELETE'),
    options: on('OPTIONS'),
    any: on('ANY'),
    route: register,
  })
  return app
}

/** Calls the route's handler with a view of the event that holds the route's parameters. */
function serve(found: Found<Route>, event: object, context: unknown, options: HandlerOptions | undefined): unknown {
  return found.data.handler({ ...event, pathParameters: found.params }, context, options as HandlerOptions)
}

/** The answer to a `HEAD` request: the route's answer (now or once it settles) without its body. */
function headAnswer(response: unknown, source: HttpEventSource): unknown {
  return typeof (response as PromiseLike<unknown> | null)?.then === 'function'
    ? (response as PromiseLike<unknown>).then((settled) => withoutBody(settled, source))
    : withoutBody(response, source)
}
