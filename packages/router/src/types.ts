import type { AnyMiddleware, Context, ContextAfter, EventAfter, HandlerOptions } from '@lamina/core'
import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyEventV2, LambdaFunctionURLEvent } from 'aws-lambda'

/** The four HTTP events the router serves: API Gateway REST (v1), HTTP API (v2), ALB, function URL. */
export type HttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2 | ALBEvent | LambdaFunctionURLEvent

/** The methods a route can be registered for; `ANY` serves every method no other route of the path takes. */
export type RouteMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'ANY'

type Segments<Path extends string> = Path extends `${infer Head}/${infer Rest}` ? Head | Segments<Rest> : Path
type ParamName<Segment> = Segment extends `{${infer Name}+}` ? Name : Segment extends `{${infer Name}}` ? Name : never

/**
 * The path parameters a route string declares: `'/users/{id}/orders/{orderId}'` gives
 * `{ id: string; orderId: string }`, a greedy `'/files/{proxy+}'` gives `{ proxy: string }`.
 */
export type PathParameters<Path extends string> = { [Name in ParamName<Segments<Path>>]: string }

type WithParameters<TEvent, Parameters> = {
  [Key in keyof TEvent as Key extends 'pathParameters' ? never : Key]: TEvent[Key]
} & { pathParameters: Parameters }

/**
 * The event a route's handler sees: the router's event with `pathParameters` typed from the
 * route string. Name it to type a whole `wrap()` chain used as a route's handler:
 * `wrap<RouteEvent<'/users/{id}', APIGatewayProxyEventV2>>()`.
 */
export type RouteEvent<Path extends string, TEvent = HttpEvent> = TEvent extends unknown
  ? WithParameters<TEvent, PathParameters<Path>>
  : never

/** A route's handler: called as Lambda handlers are, with the route's event. */
export type RouteHandler<TEvent, TContext, TResult> = (
  event: TEvent,
  context: TContext,
  options: HandlerOptions,
) => TResult

/** What the router answers itself: `OPTIONS` on a routed path (204 with `allow`). */
export interface RouterAnswer {
  statusCode: number
  statusDescription?: string
  headers?: Record<string, string>
  multiValueHeaders?: Record<string, string[]>
  body: string
  isBase64Encoded?: boolean
}

/** `.get(path, handler)` or `.get(path, [middlewares], handler)`: the route's own middlewares narrow its event. */
export interface RouteRegistration<TEvent, TContext, TResult> {
  <const Path extends string, R>(
    path: Path,
    handler: RouteHandler<RouteEvent<Path, TEvent>, TContext, R>,
  ): Router<TEvent, TContext, TResult | Awaited<R>>
  <const Path extends string, const M extends readonly AnyMiddleware[], R>(
    path: Path,
    middlewares: M,
    handler: RouteHandler<EventAfter<RouteEvent<Path, TEvent>, M>, ContextAfter<TContext, M>, R>,
  ): Router<TEvent, TContext, TResult | Awaited<R>>
}

/**
 * A router: a Lambda handler (`wrap(app)`, `wrap<Event>().use(...).handler(app)`) that hands each
 * request to the route its method and path match. Registering returns the router, so routes chain.
 */
export interface Router<TEvent = HttpEvent, TContext = Context, TResult = never> {
  (event: TEvent, context: TContext, options?: HandlerOptions): Promise<TResult | RouterAnswer>
  get: RouteRegistration<TEvent, TContext, TResult>
  head: RouteRegistration<TEvent, TContext, TResult>
  post: RouteRegistration<TEvent, TContext, TResult>
  put: RouteRegistration<TEvent, TContext, TResult>
  patch: RouteRegistration<TEvent, TContext, TResult>
  delete: RouteRegistration<TEvent, TContext, TResult>
  options: RouteRegistration<TEvent, TContext, TResult>
  any: RouteRegistration<TEvent, TContext, TResult>
  route<const Path extends string, R>(
    method: RouteMethod | Lowercase<RouteMethod>,
    path: Path,
    handler: RouteHandler<RouteEvent<Path, TEvent>, TContext, R>,
  ): Router<TEvent, TContext, TResult | Awaited<R>>
  route<const Path extends string, const M extends readonly AnyMiddleware[], R>(
    method: RouteMethod | Lowercase<RouteMethod>,
    path: Path,
    middlewares: M,
    handler: RouteHandler<EventAfter<RouteEvent<Path, TEvent>, M>, ContextAfter<TContext, M>, R>,
  ): Router<TEvent, TContext, TResult | Awaited<R>>
}
