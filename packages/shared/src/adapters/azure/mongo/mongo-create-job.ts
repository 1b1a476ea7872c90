import type { Job } from '../../../jobs/job.js'
import type { Logger } from '../../../logging/create-logger.js'
import type { CreateJobResult } from '../../../ports/job-store.js'
import { toJobDoc, type Collections } from './mongo-documents.js'
import {
  claimKey,
  claimNumber,
  isDuplicateKey,
  release,
} from './mongo-reservations.js'

/** Runs one driver call under the store's retry policy. */
export type Runner = <T>(
  name: string,
  idempotent: boolean,
  operation: () => Promise<T>,
) => Promise<T>

export interface CreateJobDeps {
  stores: Collections
  run: Runner
  logger: Logger
  /** A reservation older than this whose job is missing is an orphan. */
  orphanAfterMs: number
  /** How long to wait for a concurrent request's job to appear. */
  settleMs: number
}

/**
 * Saves a new job without a transaction: Cosmos DB has none across
 * collections (and none with Service Bus), so each step reserves a unique
 * `_id` and a failed step undoes the earlier ones. The steps are
 * idempotency key, then invoice number, then the job itself, with
 * `dispatchedAt` null: the caller sends the message and the relay
 * catches what a crash left unsent.
 *
 * A crash between steps can leave a reservation pointing at a job that
 * was never written. Such an orphan blocks nobody for long: once it is
 * older than `orphanAfterMs` the next request with the same key or
 * number takes it over (compare-and-set on the old job id), as if it
 * did not exist. Younger ones are treated as a request still in flight.
 */
export async function createJob(
  deps: CreateJobDeps,
  job: Job,
): Promise<CreateJobResult> {
  if (job.idempotencyKey !== undefined) {
    const earlier = await claimKey(deps, job, job.idempotencyKey)
    if (earlier) return earlier
  }

  let numberClaimed: boolean
  try {
    numberClaimed = await claimNumber(deps, job)
  } catch (error) {
    await release(deps, job, { key: true, number: false })
    throw error
  }
  if (!numberClaimed) {
    await release(deps, job, { key: true, number: false })
    return { outcome: 'number-taken' }
  }

  try {
    await insertJob(deps, job)
  } catch (error) {
    await release(deps, job, { key: true, number: true })
    throw error
  }
  return { outcome: 'created', job, enqueued: false }
}

async function insertJob(deps: CreateJobDeps, job: Job): Promise<void> {
  const { jobs } = deps.stores
  try {
    await deps.run('insert job', true, () => jobs.insertOne(toJobDoc(job)))
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    // A retried insert whose first try landed finds its own document.
    const stored = await jobs.findOne({ _id: job.id })
    const ours =
      stored?.owner === job.owner && stored.invoiceNumber === job.invoiceNumber
    if (!ours) throw error
  }
}
