import type { Job } from '../../jobs/job.js'

/** A row of the `jobs` table. Status, version and dispatch time live in
 * columns too, so that queries and compare-and-set can use them. */
export interface JobRow {
  id: string
  owner: string
  status: Job['status']
  version: number
  invoice_number: string
  idempotency_key: string | null
  request_hash: string | null
  created_at: number
  dispatched_at: number | null
  doc: string
}

type StoredJob = Omit<Job, 'createdAt' | 'updatedAt' | 'dispatchedAt'> & {
  createdAt: string
  updatedAt: string
  dispatchedAt?: string
}

/** The job as JSON, dates as ISO strings. */
export function toDoc(job: Job): string {
  const stored: StoredJob = {
    ...job,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    dispatchedAt: job.dispatchedAt?.toISOString(),
  }
  return JSON.stringify(stored)
}

/** The job a row holds; its columns win over the JSON copy. */
export function fromRow(row: JobRow): Job {
  // The columns are the truth for what queries and updates touch.
  const { dispatchedAt: _, ...stored } = JSON.parse(row.doc) as StoredJob
  const job: Job = {
    ...stored,
    status: row.status,
    version: row.version,
    createdAt: new Date(stored.createdAt),
    updatedAt: new Date(stored.updatedAt),
  }
  if (row.dispatched_at !== null) job.dispatchedAt = new Date(row.dispatched_at)
  return job
}
