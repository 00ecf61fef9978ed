/**
 * The warm-up pings the common warmers send, by their documented default payloads:
 *
 * - serverless-plugin-warmup: `{ "source": "serverless-plugin-warmup" }` (also what
 *   `@middy/warmup` checks by default);
 * - serverless-plugin-lambda-warmup: `{ "source": "serverless-plugin-lambda-warmup" }`;
 * - lambda-warmer: `{ "warmer": true, ... }` (its default `flag` is `warmer`; the fan-out
 *   invocations it makes itself carry the same flag).
 *
 * A warmer configured with another payload needs `warmup({ isWarmup })`.
 */
const pingSources: ReadonlySet<unknown> = new Set(['serverless-plugin-warmup', 'serverless-plugin-lambda-warmup'])

/** True for a warm-up ping of a common warmer (see above); false for anything else, never a throw. */
export function isWarmupPing(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false
  const { source, warmer } = event as { source?: unknown; warmer?: unknown }
  return pingSources.has(source) || warmer === true
}
