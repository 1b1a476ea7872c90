import { setTimeout as sleep } from 'node:timers/promises'
import { MongoServerError } from 'mongodb'
import { AppError } from '../../../errors/codes.js'
import type { Job } from '../../../jobs/job.js'
import type { CreateJobResult } from '../../../ports/job-store.js'
import type { CreateJobDeps } from './mongo-create-job.js'
import {
  fromJobDoc,
  idempotencyId,
  invoiceNumberId,
} from './mongo-documents.js'

export const isDuplicateKey = (error: unknown) =>
  error instanceof MongoServerError && error.code === 11000

/** True when inserted, false when the `_id` is taken (error 11000). */
async function insertUnlessTaken(insert: () => Promise<unknown>) {
  try {
    await insert()
    return true
  } catch (error) {
    if (isDuplicateKey(error)) return false
    throw error
  }
}

const ROUNDS = 3
const POLL_MS = 25

/** Reserves the key; or answers with the job that already holds it. */
export async function claimKey(
  deps: CreateJobDeps,
  job: Job,
  key: string,
): Promise<CreateJobResult | undefined> {
  const { idempotency } = deps.stores
  const _id = idempotencyId(job.owner, key)
  const requestHash = job.requestHash ?? null

  for (let round = 0; round < ROUNDS; round += 1) {
    const now = new Date()
    const doc = { _id, owner: job.owner, jobId: job.id, requestHash }
    const inserted = await deps.run('reserve idempotency key', true, () =>
      insertUnlessTaken(() =>
        idempotency.insertOne({ ...doc, createdAt: now }),
      ),
    )
    if (inserted) return undefined

    const held = await deps.run('read idempotency key', true, () =>
      idempotency.findOne({ _id }),
    )
    if (!held) continue // released in the meantime: try again
    if (held.jobId === job.id) return undefined // our own retried insert

    const orphan = isOlder(held.createdAt, deps.orphanAfterMs)
    const earlier = await waitForJob(deps, held.jobId, orphan)
    if (earlier) {
      return earlier.requestHash === job.requestHash
        ? { outcome: 'replayed', job: earlier }
        : { outcome: 'key-conflict', job: earlier }
    }
    if (!orphan) {
      throw new AppError(
        'service_unavailable',
        'An earlier request with this Idempotency-Key is still in progress.',
      )
    }

    deps.logger.warn(
      { jobId: job.id },
      'mongo orphaned idempotency key taken over',
    )
    await deps.run('take over idempotency key', true, () =>
      idempotency.updateOne(
        { _id, jobId: held.jobId },
        { $set: { jobId: job.id, requestHash, createdAt: now } },
      ),
    )
    // Whether we or a rival won, the next round reads who holds it.
  }
  throw new AppError('service_unavailable', 'The Idempotency-Key is contended.')
}

/** Reserves the invoice number; false when another job holds it. */
export async function claimNumber(
  deps: CreateJobDeps,
  job: Job,
): Promise<boolean> {
  const { invoiceNumbers, jobs } = deps.stores
  const _id = invoiceNumberId(job.owner, job.invoiceNumber)

  for (let round = 0; round < ROUNDS; round += 1) {
    const now = new Date()
    const doc = { _id, owner: job.owner, jobId: job.id, createdAt: now }
    const inserted = await deps.run('reserve invoice number', true, () =>
      insertUnlessTaken(() => invoiceNumbers.insertOne(doc)),
    )
    if (inserted) return true

    const held = await deps.run('read invoice number', true, () =>
      invoiceNumbers.findOne({ _id }),
    )
    if (!held) continue
    if (held.jobId === job.id) return true
    if (!isOlder(held.createdAt, deps.orphanAfterMs)) return false

    const holder = await deps.run('read job', true, () =>
      jobs.findOne({ _id: held.jobId }, { projection: { _id: 1 } }),
    )
    if (holder) return false

    deps.logger.warn(
      { jobId: job.id },
      'mongo orphaned invoice number taken over',
    )
    await deps.run('take over invoice number', true, () =>
      invoiceNumbers.updateOne(
        { _id, jobId: held.jobId },
        { $set: { jobId: job.id, createdAt: now } },
      ),
    )
  }
  return false
}

/** The job, polling briefly while a concurrent request may write it. */
async function waitForJob(
  deps: CreateJobDeps,
  jobId: string,
  once: boolean,
): Promise<Job | undefined> {
  const deadline = Date.now() + (once ? 0 : deps.settleMs)
  for (;;) {
    const doc = await deps.run('read job', true, () =>
      deps.stores.jobs.findOne({ _id: jobId }),
    )
    if (doc) return fromJobDoc(doc)
    if (Date.now() >= deadline) return undefined
    await sleep(POLL_MS)
  }
}

/** Best effort: a leftover is an orphan that a later request takes over. */
export async function release(
  deps: CreateJobDeps,
  job: Job,
  what: { key: boolean; number: boolean },
): Promise<void> {
  const { idempotency, invoiceNumbers } = deps.stores
  const steps: Array<[string, () => Promise<unknown>]> = []
  if (what.key && job.idempotencyKey !== undefined) {
    const _id = idempotencyId(job.owner, job.idempotencyKey)
    steps.push(['key', () => idempotency.deleteOne({ _id, jobId: job.id })])
  }
  if (what.number) {
    const _id = invoiceNumberId(job.owner, job.invoiceNumber)
    steps.push([
      'number',
      () => invoiceNumbers.deleteOne({ _id, jobId: job.id }),
    ])
  }
  for (const [reservation, step] of steps) {
    try {
      await deps.run('release reservation', true, step)
    } catch (error) {
      deps.logger.warn(
        { err: error, jobId: job.id, reservation },
        'mongo reservation left behind',
      )
    }
  }
}

function isOlder(createdAt: Date, ms: number): boolean {
  return Date.now() - new Date(createdAt).getTime() >= ms
}
