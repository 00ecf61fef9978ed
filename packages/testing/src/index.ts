import { eventBridge, scheduled, scheduler } from './eventbridge-events.js'
import { alb, apiGatewayV1, apiGatewayV2, functionUrl } from './http-events.js'
import { dynamodbStream, kinesis, s3, s3EventBridge, sns, sqs } from './record-events.js'

export type { ContextOptions } from './context.js'
export { createContext } from './context.js'
export { lambdaEnvironmentDefaults, setLambdaEnvironment } from './environment.js'
export type { SchedulerAttributes } from './eventbridge-events.js'
export type { HostileValue } from './hostile-values.js'
export { errorProperties, hostileValues } from './hostile-values.js'
export type { HttpRequestInput } from './http-events.js'
export type { HttpAnswer, HttpSource, HttpSourceName } from './http-sources.js'
export { httpSources } from './http-sources.js'
export type { InvokeOptions } from './invoke.js'
export { invoke } from './invoke.js'
export type { RecordedPhase, RecorderOptions } from './recorder.js'
export { recorder } from './recorder.js'

/** Typed factories for every event source Lamina supports. */
export const events = {
  apiGatewayV1,
  apiGatewayV2,
  alb,
  functionUrl,
  sqs,
  sns,
  s3,
  s3EventBridge,
  dynamodbStream,
  kinesis,
  eventBridge,
  scheduled,
  scheduler,
}

/** The HTTP factories, for tests that run the same case through every HTTP source. */
export const httpEvents = { apiGatewayV1, apiGatewayV2, alb, functionUrl } as const
export type { CapturedOutput } from './output.js'
export { captureOutput, tick } from './output.js'
export { newTraceId, traceHeader } from './trace.js'
export type { XRayDaemon } from './xray-daemon.js'
export { startXRayDaemon } from './xray-daemon.js'
