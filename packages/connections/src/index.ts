export type { FetchDispatcher, KeepAliveAgents, KeepAliveOptions } from './agents.js'
export { keepAliveAgents } from './agents.js'
export type {
  ClientControls,
  ClientDefinition,
  ClientFactory,
  ClientSpec,
  Clients,
  ClientsOptions,
} from './clients.js'
export { clients } from './clients.js'
export type { OutgoingSpan, OutgoingTracing, TracedFetchOptions } from './tracing.js'
export { tracedFetch } from './tracing.js'
