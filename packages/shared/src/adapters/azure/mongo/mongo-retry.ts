import { setTimeout as sleep } from 'node:timers/promises'
import {
  MongoError,
  MongoNetworkError,
  MongoServerSelectionError,
} from 'mongodb'
import type { Logger } from '../../../logging/create-logger.js'

/** How long the store keeps retrying one operation. */
export interface RetryBudget {
  /** Attempts in all, the first included. @defaultValue 5 */
  attempts: number
  /** Total time spent waiting between attempts. @defaultValue 10_000 */
  budgetMs: number
}

export const defaultRetryBudget: RetryBudget = {
  attempts: 5,
  budgetMs: 10_000,
}

/** Cosmos DB (RU) answers this code when a request exceeds the RU/s. */
export const TOO_MANY_REQUESTS = 16500

const FALLBACK_DELAY_MS = 100

/**
 * The wait Cosmos DB asks for, from `RetryAfterMs=<n>` in the message;
 * undefined when the error is not throttling.
 */
export function throttleDelay(error: unknown): number | undefined {
  if (!(error instanceof MongoError)) return undefined
  if (error.code !== TOO_MANY_REQUESTS) return undefined
  const match = /RetryAfterMs=(\d+)/.exec(error.message)
  return match ? Number(match[1]) : FALLBACK_DELAY_MS
}

/** A failure where the request may not have reached the server. */
export function isTransientNetworkError(error: unknown): boolean {
  return (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError
  )
}

export interface RetryOptions {
  budget: RetryBudget
  logger: Logger
  /** Retry network errors too: only for operations safe to repeat. */
  idempotent: boolean
}

/**
 * Runs `operation`, repeating it after throttling (which Cosmos DB
 * guarantees changed nothing) and, when `idempotent`, after network
 * errors; within the budget, then the last error surfaces.
 */
export async function withRetry<T>(
  name: string,
  options: RetryOptions,
  operation: () => Promise<T>,
): Promise<T> {
  const { budget, logger, idempotent } = options
  let waited = 0

  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation()
    } catch (error) {
      const asked = throttleDelay(error)
      const network = idempotent && isTransientNetworkError(error)
      if (asked === undefined && !network) throw error

      const backoff = FALLBACK_DELAY_MS * 2 ** (attempt - 1)
      const delay = asked ?? backoff
      const exhausted =
        attempt >= budget.attempts || waited + delay > budget.budgetMs
      if (exhausted) {
        logger.warn(
          { err: error, operation: name, attempt, waitedMs: waited },
          'mongo operation gave up after retries',
        )
        throw error
      }

      logger.debug(
        { operation: name, attempt, delayMs: delay, throttled: !network },
        'mongo operation retrying',
      )
      await sleep(delay)
      waited += delay
    }
  }
}
