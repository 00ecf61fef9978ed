// The entry point of a function's process: Lamina's runtime loop, configured by the environment
// Lambda sets (AWS_LAMBDA_RUNTIME_API, _HANDLER, LAMBDA_TASK_ROOT, AWS_LAMBDA_MAX_CONCURRENCY).
import { startRuntimeLoop } from './loop.js'

const env = process.env
const loop = startRuntimeLoop({
  runtimeApi: env.AWS_LAMBDA_RUNTIME_API ?? '',
  handler: env._HANDLER ?? '',
  taskRoot: env.LAMBDA_TASK_ROOT ?? process.cwd(),
  concurrency: Number(env.AWS_LAMBDA_MAX_CONCURRENCY ?? 1),
  captureOutput: true,
})
// A failed init is reported; Lambda then discards the sandbox, so this process ends.
void loop.initialized.then((ok) => {
  if (!ok) process.exit(1)
})
