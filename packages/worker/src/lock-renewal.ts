import {
  MessageLockLostError,
  type JobQueue,
  type Logger,
  type ReceivedMessage,
} from '@invoice-jobs/shared'

export interface LockRenewalOptions {
  queue: JobQueue
  message: ReceivedMessage
  logger: Logger
  /** Stop renewing after this long: a handler stuck for good must not
   * hold its message forever. */
  maxRenewalMs: number
  /** Never renew more often than this, however short the lock. */
  minIntervalMs?: number
  now?: () => number
}

export interface LockRenewal {
  /** Times the lock was extended. */
  readonly renewals: number
  /** True once the queue said the lock is gone. */
  readonly lost: boolean
  /** Safe to call twice. */
  stop(): void
}

/**
 * Keeps a message's peek-lock alive while its handler runs: renews at
 * half of the lock time that remains, so one failed renewal still leaves
 * time for another.
 */
export function startLockRenewal(options: LockRenewalOptions): LockRenewal {
  const { queue, message, logger } = options
  const now = options.now ?? Date.now
  const minInterval = options.minIntervalMs ?? 200
  const deadline = now() + options.maxRenewalMs
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let renewals = 0
  let lost = false

  function schedule(): void {
    if (stopped) return
    const remaining = message.lockedUntil.getTime() - now()
    const wait = Math.max(minInterval, Math.floor(remaining / 2))
    if (now() + wait > deadline) {
      logger.debug({ renewals }, 'lock renewal limit reached')
      return
    }
    timer = setTimeout(renew, wait)
    timer.unref()
  }

  async function renew(): Promise<void> {
    if (stopped) return
    try {
      await queue.renewLock(message)
      renewals += 1
    } catch (err) {
      if (err instanceof MessageLockLostError) {
        lost = true
        logger.warn({ err }, 'message lock lost during renewal')
        return
      }
      logger.warn({ err }, 'message lock renewal failed')
    }
    schedule()
  }

  schedule()

  return {
    get renewals() {
      return renewals
    },
    get lost() {
      return lost
    },
    stop() {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
    },
  }
}
