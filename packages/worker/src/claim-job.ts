import {
  isFinal,
  transition,
  type Job,
  type JobStore,
  type Logger,
} from '@invoice-jobs/shared'
import { TransientJobError } from './errors.js'

/** How often a claim may lose a compare-and-set before giving up. */
const MAX_RACES = 5

export type ClaimResult =
  /** The job is ours, `processing`, with `attempts` counted. */
  | { kind: 'claimed'; job: Job }
  /** Nothing left to do: completed, failed or canceled. */
  | { kind: 'final'; job: Job }
  | { kind: 'missing' }

/**
 * Takes a job for this delivery. A job still `processing` was left by an
 * earlier delivery that crashed or lost its lock; we take it over through
 * `processing → queued → processing` rather than just carrying on, so the
 * version moves and the earlier delivery, should it still be running,
 * loses its final compare-and-set instead of overwriting our result.
 */
export async function claimJob(
  store: JobStore,
  jobId: string,
  now: () => Date,
  logger: Logger,
): Promise<ClaimResult> {
  let job = await store.get(jobId)

  for (let race = 0; race < MAX_RACES; race += 1) {
    if (job === undefined) return { kind: 'missing' }
    if (isFinal(job.status)) return { kind: 'final', job }

    if (job.status === 'processing') {
      logger.warn({ attempts: job.attempts }, 'taking over a stalled job')
      const requeued = await transition(
        store,
        job,
        'queued',
        { attempts: job.attempts },
        now(),
      )
      if (requeued === undefined) {
        job = await store.get(jobId)
        continue
      }
      job = requeued
    }

    const claimed = await transition(
      store,
      job,
      'processing',
      { attempts: job.attempts + 1 },
      now(),
    )
    if (claimed !== undefined) return { kind: 'claimed', job: claimed }
    job = await store.get(jobId)
  }

  throw new TransientJobError('the job kept changing while being claimed')
}
