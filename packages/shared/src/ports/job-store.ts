import type { JobStatus } from '../schemas/job.js'
import type { QueueMessage } from '../schemas/message.js'
import type { Job, JobChanges } from '../jobs/job.js'

export type CreateJobResult =
  /** `enqueued` is true when the store wrote the message in the same
   * transaction (embedded); otherwise the caller sends it and calls
   * `markDispatched`. */
  | { outcome: 'created'; job: Job; enqueued: boolean }
  /** Same idempotency key, same body: the earlier job. */
  | { outcome: 'replayed'; job: Job }
  /** Same idempotency key, another body. */
  | { outcome: 'key-conflict'; job: Job }
  /** The owner already has an invoice with this number. */
  | { outcome: 'number-taken' }

/** What a conditional write expects to find. */
export interface JobExpectation {
  status: JobStatus
  version: number
}

/** A full write of the fields that change with a transition. */
export interface JobUpdate extends JobChanges {
  status: JobStatus
  version: number
  updatedAt: Date
}

/** Where jobs live. Every status change goes through `update`. */
export interface JobStore {
  /**
   * Saves a new job (with `dispatchedAt` unset unless the message was
   * enqueued atomically). Honors `job.idempotencyKey`/`requestHash` and
   * the per-owner uniqueness of `job.invoiceNumber`.
   */
  create(job: Job, message: QueueMessage): Promise<CreateJobResult>

  /** The job, or undefined; with `owner`, only that owner's job. */
  get(id: string, owner?: string): Promise<Job | undefined>

  /** Compare-and-set: writes only when status and version match. */
  update(
    id: string,
    expected: JobExpectation,
    next: JobUpdate,
  ): Promise<Job | undefined>

  /** A new invoice number, unique for the owner (e.g. INV-2026-000042). */
  nextInvoiceNumber(owner: string, now: Date): Promise<string>

  /** Records that the job's message reached the queue. */
  markDispatched(id: string, at: Date): Promise<void>

  /** Jobs created before `before` whose message was never dispatched. */
  findUndispatched(before: Date, limit: number): Promise<Job[]>

  /**
   * Takes or renews a named lease for `holder` until `until`; true when
   * held. Lets one API replica at a time run the dispatch relay.
   */
  acquireLease(name: string, holder: string, until: Date): Promise<boolean>

  /** Throws when the store cannot serve (readiness). */
  check(): Promise<void>

  /** Safe to call twice. */
  close(): Promise<void>
}
