import { isServiceBusError } from '@azure/service-bus'
import { MessageLockLostError } from '../../../ports/job-queue.js'

/** Codes after which a subscription cannot recover by retrying. */
const FATAL_CODES = new Set([
  'MessagingEntityNotFound',
  'MessagingEntityDisabled',
  'UnauthorizedAccess',
])

const LOCK_LOST_CODES = new Set(['MessageLockLost', 'SessionLockLost'])

/** The SDK's words for settling a message twice. */
const ALREADY_SETTLED = /already settled/i

export type ErrorKind = 'fatal' | 'busy' | 'lock-lost' | 'other'

/** How a subscription should react to an error from the SDK. */
export function classify(err: unknown): ErrorKind {
  if (!isServiceBusError(err)) return 'other'
  if (FATAL_CODES.has(err.code)) return 'fatal'
  if (err.code === 'ServiceBusy') return 'busy'
  if (LOCK_LOST_CODES.has(err.code)) return 'lock-lost'
  return 'other'
}

/**
 * Runs a settlement and turns the SDK's lock-lost and already-settled
 * errors into the port's MessageLockLostError.
 */
export async function settling<T>(
  messageId: string,
  settle: () => Promise<T>,
): Promise<T> {
  try {
    return await settle()
  } catch (caught) {
    const err = lastAttemptError(caught)
    const lockLost =
      (isServiceBusError(err) && LOCK_LOST_CODES.has(err.code)) ||
      (err instanceof Error && ALREADY_SETTLED.test(err.message))
    if (lockLost) throw new MessageLockLostError(messageId)
    throw err
  }
}

/**
 * The SDK gives up on retries with an AggregateError of every attempt;
 * callers want the last attempt's error, with its code.
 */
export function lastAttemptError(err: unknown): unknown {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return err.errors.at(-1)
  }
  return err
}

/** An error an operator can act on, naming the queue and the cause. */
export function fatalError(queueName: string, err: unknown): Error {
  const code = isServiceBusError(err) ? err.code : 'unknown'
  return new Error(
    `Service Bus queue ${queueName} cannot be used (${code}); ` +
      'check that it exists and that the identity may receive from it',
    { cause: err },
  )
}
