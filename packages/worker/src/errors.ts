/**
 * The error a job handler throws tells the worker what to do with the
 * message: a permanent error fails the job at once, anything else is
 * retried with backoff until the queue's delivery limit.
 */

/** Bad data: retrying cannot help, so the job fails and the message is
 * dead-lettered on the first delivery. */
export class PermanentJobError extends Error {
  /**
   * @param code - Stable snake_case code stored on the failed job.
   * @param message - A sentence for the job's error; no personal data.
   */
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'PermanentJobError'
  }
}

/** A passing problem (a backing service, a timeout): retry later. */
export class TransientJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TransientJobError'
  }
}

/** True when the error says the job can never succeed. Unknown errors
 * count as transient: a bug fixed by a redeploy should not lose jobs. */
export function isPermanent(err: unknown): err is PermanentJobError {
  return err instanceof PermanentJobError
}

/** Why the worker dead-letters a message (the queue's reason field). */
export const DeadLetterReason = {
  InvalidMessage: 'InvalidMessage',
  JobNotFound: 'JobNotFound',
  PermanentFailure: 'PermanentFailure',
  MaxDeliveriesExceeded: 'MaxDeliveriesExceeded',
} as const

export type DeadLetterReason =
  (typeof DeadLetterReason)[keyof typeof DeadLetterReason]
