export { type CorsOptions, cors } from './cors.js'
export { router } from './router.js'
export type {
  HttpEvent,
  PathParameters,
  RouteEvent,
  RouteHandler,
  RouteMethod,
  RouteRegistration,
  Router,
  RouterAnswer,
} from './types.js'
