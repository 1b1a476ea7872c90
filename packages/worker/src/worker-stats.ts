import type { ProcessOutcome } from './message-context.js'

/** Counters since the worker started; a snapshot, not live. */
export type WorkerStats = Record<ProcessOutcome, number> & {
  /** Deliveries taken from the queue. */
  received: number
  /** Settlements refused because the lock had expired. */
  lockLost: number
  /** Deliveries whose processing threw (e.g. the queue could not settle). */
  errors: number
  /** Deliveries running right now. */
  inFlight: number
}

export function emptyStats(): WorkerStats {
  return {
    received: 0,
    completed: 0,
    duplicate: 0,
    retried: 0,
    failed: 0,
    rejected: 0,
    superseded: 0,
    deferred: 0,
    abandoned: 0,
    lockLost: 0,
    errors: 0,
    inFlight: 0,
  }
}
