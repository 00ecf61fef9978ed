export { isTimeoutError, TimeoutError } from '@lamina/core'
export { defaultMarginMs, type TimeoutGuardOptions, type TimeoutResponse } from './options.js'
export { timeoutGuard } from './timeout-guard.js'
