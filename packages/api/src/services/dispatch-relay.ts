import { randomUUID } from 'node:crypto'
import type { Job, JobQueue, JobStore, Logger } from '@invoice-jobs/shared'
import { queueMessageFor } from './queue-message.js'

export const RELAY_LEASE = 'dispatch-relay'

/** Jobs re-sent per run; the next run takes the rest. */
export const RELAY_BATCH = 100

export interface DispatchRelayOptions {
  store: JobStore
  queue: JobQueue
  logger: Logger
  clock?: () => Date
  /** Time between runs. */
  intervalMs: number
  /** Jobs younger than this are left to the request that created them. */
  ageMs: number
  /** Who holds the lease; one per process by default. */
  instanceId?: string
}

export interface RunSummary {
  /** False when another replica held the lease. */
  leader: boolean
  sent: number
  failed: number
}

/**
 * Sends the messages of jobs that were saved but never reached the queue
 * (a send that failed after the save, or a replica that died between the
 * two). Only the replica holding the lease runs it; runs never overlap.
 * Duplicates are harmless: the message id is the job id and the worker
 * ignores jobs that are no longer queued.
 */
export class DispatchRelay {
  readonly instanceId: string
  private readonly clock: () => Date
  private timer: NodeJS.Timeout | undefined
  private running: Promise<RunSummary> | undefined
  private stopped = false

  constructor(private readonly options: DispatchRelayOptions) {
    this.instanceId = options.instanceId ?? randomUUID()
    this.clock = options.clock ?? (() => new Date())
  }

  /** Starts the periodic runs; a second call does nothing. */
  start(): void {
    if (this.timer || this.stopped) return

    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs)
    this.timer.unref()
  }

  /** Stops the timer and waits for a run in flight; safe to call twice. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined

    await this.running
  }

  /**
   * One pass. While a pass is in flight, callers share it rather than
   * start another. Never rejects: failures are logged.
   */
  runOnce(): Promise<RunSummary> {
    if (this.running) return this.running

    this.running = this.pass().finally(() => {
      this.running = undefined
    })
    return this.running
  }

  private async pass(): Promise<RunSummary> {
    const { store, logger, intervalMs, ageMs } = this.options
    const summary: RunSummary = { leader: false, sent: 0, failed: 0 }

    try {
      const now = this.clock()
      // Three missed runs before another replica may take over.
      const until = new Date(now.getTime() + intervalMs * 3)
      summary.leader = await store.acquireLease(
        RELAY_LEASE,
        this.instanceId,
        until,
      )
      if (!summary.leader) return summary

      const before = new Date(now.getTime() - ageMs)
      const jobs = await store.findUndispatched(before, RELAY_BATCH)
      for (const job of jobs) {
        if (this.stopped) break
        if (await this.resend(job)) {
          summary.sent++
        } else {
          // The queue is most likely down: try again next run rather than
          // wait out every job's send in this one.
          summary.failed++
          break
        }
      }
    } catch (err) {
      logger.error({ err }, 'dispatch relay run failed')
    }

    if (summary.sent + summary.failed > 0) {
      logger.info(summary, 'dispatch relay run')
    }
    return summary
  }

  private async resend(job: Job): Promise<boolean> {
    const { store, queue, logger } = this.options
    try {
      await queue.send(queueMessageFor(job), {
        ...(job.requestId !== undefined && { correlationId: job.requestId }),
        // Within the lease, so that a stuck send cannot outlive it.
        abortSignal: AbortSignal.timeout(this.options.intervalMs * 2),
      })
      await store.markDispatched(job.id, this.clock())
      return true
    } catch (err) {
      logger.warn({ err, jobId: job.id }, 'dispatch relay send failed')
      return false
    }
  }
}
