import type { BrokerQueue } from './broker-queue.js'
import type { SettleError } from './settlement.js'

/** Faults a test can inject into a running broker. */
export interface BrokerFaults {
  /** Refuses link attaches and sends with server-busy for a while. */
  serverBusy(durationMs: number): void
  /** Refuses the next `count` sends, or all sends for `durationMs`. */
  refuseSends(what: { count?: number; durationMs?: number }): void
  /** Cuts every client socket without an AMQP close. */
  dropConnections(): void
  /** Ends every fault still in force. */
  clearFaults(): void
  /**
   * Takes the lock away from a locked message, as if it expired: the
   * message comes back and settling the old lock fails.
   */
  loseLock(messageId: string): boolean
}

/** What the broker counted, for the fault tests' figures. */
export interface BrokerStats {
  connections: number
  attachesRefused: number
  sendsRefused: number
  lockLostReplies: number
}

const busy = (why: string): SettleError => ({
  condition: 'com.microsoft:server-busy',
  description: `The test broker is busy (${why}).`,
})

/** The fault switches and the counters the broker consults. */
export class Faults implements BrokerFaults {
  readonly stats: BrokerStats = {
    connections: 0,
    attachesRefused: 0,
    sendsRefused: 0,
    lockLostReplies: 0,
  }
  private busyUntil = 0
  private refuseUntil = 0
  private refuseCount = 0
  private drop: () => void = () => {}

  constructor(private readonly queues: Map<string, BrokerQueue>) {}

  onDrop(drop: () => void): void {
    this.drop = drop
  }

  serverBusy(durationMs: number): void {
    this.busyUntil = Date.now() + durationMs
  }

  refuseSends(what: { count?: number; durationMs?: number }): void {
    this.refuseCount = what.count ?? 0
    this.refuseUntil = what.durationMs ? Date.now() + what.durationMs : 0
  }

  clearFaults(): void {
    this.busyUntil = 0
    this.refuseUntil = 0
    this.refuseCount = 0
  }

  dropConnections(): void {
    this.drop()
  }

  loseLock(messageId: string): boolean {
    for (const queue of this.queues.values()) {
      for (const sub of [queue.active, queue.deadLetter]) {
        const message = sub.messages.find(
          (m) => m.messageId === messageId && m.lock,
        )
        if (message) {
          sub.release(message, 'lost')
          return true
        }
      }
    }
    return false
  }

  /** An error for an attach while the broker is busy. */
  refuseAttach(): SettleError | undefined {
    if (Date.now() >= this.busyUntil) return undefined
    this.stats.attachesRefused += 1
    return busy('attach')
  }

  /** An error for a send while busy or told to refuse sends. */
  refuseSend(): SettleError | undefined {
    const now = Date.now()
    if (this.refuseCount > 0) {
      this.refuseCount -= 1
    } else if (now >= this.busyUntil && now >= this.refuseUntil) {
      return undefined
    }
    this.stats.sendsRefused += 1
    return busy('send')
  }
}
