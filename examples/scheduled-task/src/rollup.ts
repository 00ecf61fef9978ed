import { createRollupHandler } from './rollup-handler.js'

/**
 * Every five minutes (template.yaml): rolls the usage backlog up into per-account totals until
 * the deadline is near, then records where it stopped. Built once per container.
 */
export const handler = createRollupHandler()
