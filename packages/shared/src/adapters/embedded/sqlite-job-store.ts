import type { QueueMessage } from '../../schemas/message.js'
import type { Job } from '../../jobs/job.js'
import type {
  CreateJobResult,
  JobExpectation,
  JobStore,
  JobUpdate,
} from '../../ports/job-store.js'
import type { SqliteDatabase } from './sqlite-database.js'
import { insertMessage } from './sqlite-messages.js'
import { ringSent } from './sqlite-wakeup.js'
import { fromRow, toDoc, type JobRow } from './sqlite-job-row.js'
import {
  prepareJobStatements,
  type JobStatements,
} from './sqlite-job-statements.js'

export interface SqliteJobStoreOptions {
  db: SqliteDatabase
  /** Write each new job's queue message in the same transaction; only
   * when the queue is the SQLite queue on the same file. */
  enqueue: boolean
  /** Close `db` with the store (when the store opened it alone). */
  closeDatabase?: boolean
}

/** Jobs in the shared SQLite file; see `openSqliteDatabase` for tables. */
export class SqliteJobStore implements JobStore {
  readonly #db: SqliteDatabase
  readonly #options: SqliteJobStoreOptions
  readonly #sql: JobStatements
  #closed = false

  constructor(options: SqliteJobStoreOptions) {
    this.#db = options.db
    this.#options = options
    this.#sql = prepareJobStatements(options.db)
  }

  async create(job: Job, message: QueueMessage): Promise<CreateJobResult> {
    this.#assertOpen()
    const enqueue = this.#options.enqueue

    const result = this.#db
      .transaction((): CreateJobResult => {
        const earlier = this.#byIdempotencyKey(job)
        if (earlier) {
          return earlier.requestHash === job.requestHash
            ? { outcome: 'replayed', job: earlier }
            : { outcome: 'key-conflict', job: earlier }
        }
        if (this.#numberTaken(job.owner, job.invoiceNumber)) {
          return { outcome: 'number-taken' }
        }

        const now = new Date()
        const saved: Job = enqueue ? { ...job, dispatchedAt: now } : job
        this.#insert(saved)
        if (enqueue) {
          insertMessage(this.#db, message, {
            messageId: job.id,
            correlationId: job.requestId,
            now: now.getTime(),
          })
        }
        return { outcome: 'created', job: saved, enqueued: enqueue }
      })
      .immediate()

    if (result.outcome === 'created' && enqueue) ringSent(this.#db.name)
    return result
  }

  async get(id: string, owner?: string): Promise<Job | undefined> {
    this.#assertOpen()
    const row = this.#sql.byId.get(id) as JobRow | undefined
    if (!row || (owner !== undefined && row.owner !== owner)) return undefined
    return fromRow(row)
  }

  async update(
    id: string,
    expected: JobExpectation,
    next: JobUpdate,
  ): Promise<Job | undefined> {
    this.#assertOpen()
    return this.#db
      .transaction(() => {
        const row = this.#sql.byId.get(id) as JobRow | undefined
        if (!row || row.status !== expected.status) return undefined
        if (row.version !== expected.version) return undefined

        const job: Job = { ...fromRow(row), ...next }
        this.#sql.update.run(job.status, job.version, toDoc(job), id)
        return job
      })
      .immediate()
  }

  async nextInvoiceNumber(owner: string, now: Date): Promise<string> {
    this.#assertOpen()
    const year = now.getUTCFullYear()

    return this.#db
      .transaction(() => {
        // A client may have chosen a number in our series: skip past it.
        for (;;) {
          const { seq } = this.#sql.bump.get(owner, year) as { seq: number }
          const number = `INV-${year}-${String(seq).padStart(6, '0')}`
          if (!this.#numberTaken(owner, number)) return number
        }
      })
      .immediate()
  }

  async markDispatched(id: string, at: Date): Promise<void> {
    this.#assertOpen()
    this.#db.transaction(() => {
      const row = this.#sql.byId.get(id) as JobRow | undefined
      if (!row || row.dispatched_at !== null) return
      const job: Job = { ...fromRow(row), dispatchedAt: at }
      this.#sql.dispatched.run(at.getTime(), toDoc(job), id)
    })()
  }

  async findUndispatched(before: Date, limit: number): Promise<Job[]> {
    this.#assertOpen()
    const rows = this.#sql.undispatched.all(before.getTime(), limit) as JobRow[]
    return rows.map(fromRow)
  }

  async acquireLease(
    name: string,
    holder: string,
    until: Date,
  ): Promise<boolean> {
    this.#assertOpen()
    const taken = this.#sql.lease.run(name, holder, until.getTime(), Date.now())
    return taken.changes === 1
  }

  async check(): Promise<void> {
    this.#assertOpen()
    this.#db.prepare('SELECT count(*) FROM jobs LIMIT 1').get()
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#options.closeDatabase && this.#db.open) this.#db.close()
  }

  #insert(job: Job): void {
    this.#sql.insert.run(
      job.id,
      job.owner,
      job.status,
      job.version,
      job.invoiceNumber,
      job.idempotencyKey ?? null,
      job.requestHash ?? null,
      job.createdAt.getTime(),
      job.dispatchedAt?.getTime() ?? null,
      toDoc(job),
    )
  }

  #byIdempotencyKey(job: Job): Job | undefined {
    if (job.idempotencyKey === undefined) return undefined
    const row = this.#sql.byKey.get(job.owner, job.idempotencyKey) as
      JobRow | undefined
    return row && fromRow(row)
  }

  #numberTaken(owner: string, invoiceNumber: string): boolean {
    return this.#sql.byNumber.get(owner, invoiceNumber) !== undefined
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the SQLite job store is closed')
  }
}
