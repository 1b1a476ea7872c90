import type { InvoiceRequest } from '../schemas/invoice.js'
import type { JobError, JobStatus, JobType } from '../schemas/job.js'

/** Owner used until authentication lands; stored on every job already. */
export const DEFAULT_OWNER = 'anonymous'

/** Where a completed job's document lives and how to serve it. */
export interface JobResult {
  blobName: string
  contentType: string
  size: number
  etag: string
  fileName: string
}

/** The job as the store keeps it. Only `state-machine.ts` changes status. */
export interface Job {
  id: string
  owner: string
  type: JobType
  status: JobStatus
  /** Incremented by every write; the compare-and-set token. */
  version: number
  /** The validated request, with `invoiceNumber` always filled in. */
  input: InvoiceRequest & { invoiceNumber: string }
  invoiceNumber: string
  attempts: number
  createdAt: Date
  updatedAt: Date
  error?: JobError
  result?: JobResult
  idempotencyKey?: string
  /** SHA-256 of the canonical request body, to detect key reuse. */
  requestHash?: string
  /** When the queue message was handed over; undefined while pending. */
  dispatchedAt?: Date
  requestId?: string
  traceparent?: string
}

/** The fields a state transition may change, besides status and version. */
export interface JobChanges {
  attempts?: number
  error?: JobError
  result?: JobResult
}
