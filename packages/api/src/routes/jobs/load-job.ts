import type { FastifyBaseLogger } from 'fastify'
import {
  AppError,
  DEFAULT_OWNER,
  type Job,
  type JobStore,
} from '@invoice-jobs/shared'

/**
 * The caller's job, or a 404 `job_not_found`. Another owner's job is just
 * as unknown. A store failure is a 503, logged with its cause.
 */
export async function loadJob(
  store: JobStore,
  id: string,
  log: FastifyBaseLogger,
): Promise<Job> {
  let job: Job | undefined
  try {
    job = await store.get(id, DEFAULT_OWNER)
  } catch (err) {
    log.error({ err, jobId: id }, 'job store unavailable')
    throw new AppError('service_unavailable')
  }

  if (!job) throw new AppError('job_not_found')
  return job
}
