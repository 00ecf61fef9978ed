export { isWarmupPing } from './pings.js'
export type { WarmupOptions } from './warmup.js'
export { warmup, warmupResponse } from './warmup.js'
