import type { Db } from 'mongodb'
import type { Job } from '../../../jobs/job.js'

/**
 * A job as stored: `_id` is the job id. `dispatchedAt` is an explicit
 * null until the message is sent, so the pending-dispatch index holds
 * every undispatched job on both Cosmos DB flavours.
 */
export type JobDoc = Omit<Job, 'id' | 'dispatchedAt'> & {
  _id: string
  dispatchedAt: Date | null
}

/** `_id` = `${owner}:${key}`: the `_id` index makes the key unique. */
export interface IdempotencyDoc {
  _id: string
  owner: string
  jobId: string
  requestHash: string | null
  createdAt: Date
}

/** `_id` = `${owner}:${number}`: one reservation per invoice number. */
export interface InvoiceNumberDoc {
  _id: string
  owner: string
  jobId: string
  createdAt: Date
}

/** `_id` = `${owner}:invoice:${year}`; `seq` is the last number given. */
export interface CounterDoc {
  _id: string
  owner: string
  seq: number
}

export interface LeaseDoc {
  _id: string
  holder: string
  until: Date
}

/** The store's collections; every document carries its `owner`. */
export function collections(db: Db) {
  return {
    jobs: db.collection<JobDoc>('jobs'),
    idempotency: db.collection<IdempotencyDoc>('idempotency'),
    invoiceNumbers: db.collection<InvoiceNumberDoc>('invoiceNumbers'),
    counters: db.collection<CounterDoc>('counters'),
    leases: db.collection<LeaseDoc>('leases'),
  }
}
export type Collections = ReturnType<typeof collections>

export const idempotencyId = (owner: string, key: string) => `${owner}:${key}`
export const invoiceNumberId = (owner: string, number: string) =>
  `${owner}:${number}`
export const counterId = (owner: string, year: number) =>
  `${owner}:invoice:${year}`

export function toJobDoc(job: Job): JobDoc {
  const { id, dispatchedAt, ...rest } = job
  const doc = { _id: id, ...rest, dispatchedAt: dispatchedAt ?? null }
  // Undefined optionals stay out of the document rather than become null.
  for (const [key, value] of Object.entries(doc)) {
    if (value === undefined) delete (doc as Record<string, unknown>)[key]
  }
  return doc
}

const optionalKeys = [
  'error',
  'result',
  'idempotencyKey',
  'requestHash',
  'dispatchedAt',
  'requestId',
  'traceparent',
] as const

/** The job a document holds, without store-only fields such as `_ts`. */
export function fromJobDoc(doc: JobDoc): Job {
  const job: Job = {
    id: doc._id,
    owner: doc.owner,
    type: doc.type,
    status: doc.status,
    version: doc.version,
    input: doc.input,
    invoiceNumber: doc.invoiceNumber,
    attempts: doc.attempts,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  }
  for (const key of optionalKeys) {
    const value = doc[key]
    if (value !== null && value !== undefined) {
      ;(job as unknown as Record<string, unknown>)[key] = value
    }
  }
  return job
}
