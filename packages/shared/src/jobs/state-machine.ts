import type { JobStatus } from '../schemas/job.js'
import type { JobStore } from '../ports/job-store.js'
import type { Job, JobChanges } from './job.js'

/**
 * Every move a job may make. `processing → queued` is a retry;
 * `queued → failed` lets a dead-lettered job that never started reach a
 * final state. Final states have no way out.
 */
const transitions: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['processing', 'failed', 'canceled'],
  processing: ['completed', 'failed', 'queued', 'canceled'],
  completed: [],
  failed: [],
  canceled: [],
}

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return transitions[from].includes(to)
}

export function isFinal(status: JobStatus): boolean {
  return transitions[status].length === 0
}

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: JobStatus,
    readonly to: JobStatus,
  ) {
    super(`a job cannot move from ${from} to ${to}`)
    this.name = 'InvalidTransitionError'
  }
}

/**
 * Moves `job` to `to`, writing only if the stored job is still at the
 * version we read (compare-and-set). Returns the updated job, or undefined
 * when another writer got there first; the caller reloads and decides.
 */
export async function transition(
  store: JobStore,
  job: Job,
  to: JobStatus,
  changes: JobChanges = {},
  now: Date = new Date(),
): Promise<Job | undefined> {
  if (!canTransition(job.status, to)) {
    throw new InvalidTransitionError(job.status, to)
  }

  return store.update(
    job.id,
    { status: job.status, version: job.version },
    { ...changes, status: to, version: job.version + 1, updatedAt: now },
  )
}
