/** The longest a wait may be before attempt `attempt + 1`: `baseMs · 2^(attempt−1)`, at most `maxMs`. */
export function backoffCap(attempt: number, baseMs: number, maxMs: number): number {
  // 2^52 keeps the product finite (baseMs · Infinity is NaN when baseMs is 0).
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 52))
}

/**
 * "Full jitter": a wait drawn evenly from [0, cap]. Spreading retries over the whole window is
 * what keeps many clients that failed together from coming back together.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const draw = random()
  // A random source outside [0, 1) must not make a negative or over-the-cap wait.
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0
  return unit * backoffCap(attempt, baseMs, maxMs)
}
