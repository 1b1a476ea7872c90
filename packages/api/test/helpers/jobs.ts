import { randomUUID } from 'node:crypto'
import {
  DEFAULT_OWNER,
  transition,
  type BlobStore,
  type InvoiceRequest,
  type Job,
  type JobStore,
} from '@invoice-jobs/shared'
import { validInvoice } from './invoices.js'

/** A queued job as the submit service would build it. */
export function newJob(overrides: Partial<InvoiceRequest> = {}): Job {
  const input = validInvoice(overrides)
  const invoiceNumber = input.invoiceNumber ?? `T-${randomUUID()}`
  const now = new Date()
  return {
    id: randomUUID(),
    owner: DEFAULT_OWNER,
    type: 'invoice',
    status: 'queued',
    version: 1,
    input: { ...input, invoiceNumber },
    invoiceNumber,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
  }
}

/** Saves a queued job through the store, with its message. */
export async function seedQueuedJob(
  store: JobStore,
  job: Job = newJob(),
): Promise<Job> {
  const created = await store.create(job, { jobId: job.id, type: 'invoice' })
  if (created.outcome !== 'created') throw new Error(created.outcome)
  return created.job
}

/** Moves a job along the state machine, failing loudly on a lost race. */
async function move(
  store: JobStore,
  job: Job,
  to: Job['status'],
  changes: Parameters<typeof transition>[3] = {},
): Promise<Job> {
  const next = await transition(store, job, to, changes)
  if (!next) throw new Error(`job ${job.id} changed under the test`)
  return next
}

/** A failed job, as the worker leaves one. */
export async function seedFailedJob(store: JobStore): Promise<Job> {
  const queued = await seedQueuedJob(store)
  const processing = await move(store, queued, 'processing', { attempts: 1 })
  return move(store, processing, 'failed', {
    error: { code: 'render_failed', message: 'The PDF could not be drawn.' },
  })
}

export interface CompletedJobOptions {
  /** Written as the document; a short fake PDF by default. */
  bytes?: Uint8Array
  /** Overrides the invoice number, bypassing the HTTP schema. */
  invoiceNumber?: string
}

/**
 * A completed job without a worker: the document goes into the real blob
 * store and the job reaches `completed` through the state machine.
 */
export async function seedCompletedJob(
  store: JobStore,
  blobs: BlobStore,
  options: CompletedJobOptions = {},
): Promise<{ job: Job; bytes: Uint8Array }> {
  const job = newJob()
  if (options.invoiceNumber !== undefined) {
    job.invoiceNumber = options.invoiceNumber
    job.input.invoiceNumber = options.invoiceNumber
  }
  const bytes =
    options.bytes ?? new TextEncoder().encode(`%PDF-1.7\n${'x'.repeat(990)}`)

  const queued = await seedQueuedJob(store, job)
  const processing = await move(store, queued, 'processing', { attempts: 1 })
  const blobName = `invoices/${job.id}.pdf`
  const info = await blobs.put(blobName, bytes, {
    contentType: 'application/pdf',
  })
  const completed = await move(store, processing, 'completed', {
    result: {
      blobName,
      contentType: 'application/pdf',
      size: info.size,
      etag: info.etag,
      fileName: `${job.invoiceNumber}.pdf`,
    },
  })
  return { job: completed, bytes }
}
