import type { BrokerQueue } from './broker-queue.js'
import type { SubQueue } from './sub-queue.js'

/** Where a link or a management request points: a queue's entity. */
export interface EntityRoute {
  queue: BrokerQueue
  sub: SubQueue
}

export type Settlement =
  | { kind: 'complete' }
  | { kind: 'abandon' }
  | { kind: 'deadLetter'; reason: string; description: string }
  | { kind: 'defer' }

/** Why a settlement failed, as an AMQP error. */
export interface SettleError {
  condition: string
  description: string
}

/**
 * Applies a settlement to the message holding `token`. Fails with
 * message-lock-lost when the lock expired or was taken away, as the
 * service does.
 */
export function settle(
  route: EntityRoute,
  token: string,
  settlement: Settlement,
): SettleError | undefined {
  const message = route.sub.locked(token)
  if (!message) {
    return {
      condition: 'com.microsoft:message-lock-lost',
      description: `The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue. Reference:${token}`,
    }
  }

  switch (settlement.kind) {
    case 'complete':
      route.sub.remove(message)
      return undefined
    case 'abandon':
      route.sub.release(message, 'abandoned')
      return undefined
    case 'deadLetter':
      if (route.sub === route.queue.deadLetter) {
        return {
          condition: 'amqp:not-allowed',
          description: 'A dead-lettered message cannot be dead-lettered.',
        }
      }
      route.queue.moveToDeadLetter(
        message,
        settlement.reason,
        settlement.description,
      )
      return undefined
    case 'defer':
      return {
        condition: 'amqp:not-implemented',
        description: 'The test broker does not support deferral.',
      }
  }
}
