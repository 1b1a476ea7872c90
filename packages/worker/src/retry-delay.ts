export interface RetryDelayOptions {
  /** Delay before the second delivery, before jitter. */
  baseDelayMs: number
  /** No delay grows beyond this. */
  maxDelayMs: number
  /** A number in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half
 * random, so retries of many jobs that failed together spread out but
 * never come back immediately.
 *
 * @param deliveryCount - The delivery that just failed (1 on the first).
 */
export function retryDelayMs(
  deliveryCount: number,
  options: RetryDelayOptions,
): number {
  const random = options.random ?? Math.random
  const exponent = Math.max(0, Math.min(deliveryCount - 1, 30))
  const capped = Math.min(
    options.maxDelayMs,
    options.baseDelayMs * 2 ** exponent,
  )

  const half = capped / 2
  return Math.round(half + random() * half)
}
