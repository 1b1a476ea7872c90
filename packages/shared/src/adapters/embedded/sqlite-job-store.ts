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
  #closed = false

  constructor(options: SqliteJobStoreOptions) {
    this.#db = options.db
    this.#options = options
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
    const row = this.#db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as
      JobRow | undefined
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
        const row = this.#db
          .prepare(
            'SELECT * FROM jobs WHERE id = ? AND status = ? AND version = ?',
          )
          .get(id, expected.status, expected.version) as JobRow | undefined
        if (!row) return undefined

        const job: Job = { ...fromRow(row), ...next }
        this.#db
          .prepare(
            `UPDATE jobs SET status = ?, version = ?, doc = ?
             WHERE id = ? AND version = ?`,
          )
          .run(job.status, job.version, toDoc(job), id, expected.version)
        return job
      })
      .immediate()
  }

  async nextInvoiceNumber(owner: string, now: Date): Promise<string> {
    this.#assertOpen()
    const year = now.getUTCFullYear()
    const bump = this.#db.prepare(
      `INSERT INTO invoice_counters (owner, year, seq) VALUES (?, ?, 1)
       ON CONFLICT (owner, year) DO UPDATE SET seq = seq + 1
       RETURNING seq`,
    )

    return this.#db
      .transaction(() => {
        // A client may have chosen a number in our series: skip past it.
        for (;;) {
          const { seq } = bump.get(owner, year) as { seq: number }
          const number = `INV-${year}-${String(seq).padStart(6, '0')}`
          if (!this.#numberTaken(owner, number)) return number
        }
      })
      .immediate()
  }

  async markDispatched(id: string, at: Date): Promise<void> {
    this.#assertOpen()
    this.#db.transaction(() => {
      const row = this.#db
        .prepare('SELECT * FROM jobs WHERE id = ?')
        .get(id) as JobRow | undefined
      if (!row || row.dispatched_at !== null) return
      const job: Job = { ...fromRow(row), dispatchedAt: at }
      this.#db
        .prepare('UPDATE jobs SET dispatched_at = ?, doc = ? WHERE id = ?')
        .run(at.getTime(), toDoc(job), id)
    })()
  }

  async findUndispatched(before: Date, limit: number): Promise<Job[]> {
    this.#assertOpen()
    const rows = this.#db
      .prepare(
        `SELECT * FROM jobs
         WHERE dispatched_at IS NULL AND created_at < ?
         ORDER BY created_at LIMIT ?`,
      )
      .all(before.getTime(), limit) as JobRow[]
    return rows.map(fromRow)
  }

  async acquireLease(
    name: string,
    holder: string,
    until: Date,
  ): Promise<boolean> {
    this.#assertOpen()
    const taken = this.#db
      .prepare(
        `INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE
         SET holder = excluded.holder, until = excluded.until
         WHERE leases.holder = excluded.holder OR leases.until <= ?`,
      )
      .run(name, holder, until.getTime(), Date.now())
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
    this.#db
      .prepare(
        `INSERT INTO jobs (id, owner, status, version, invoice_number,
           idempotency_key, request_hash, created_at, dispatched_at, doc)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
    const row = this.#db
      .prepare('SELECT * FROM jobs WHERE owner = ? AND idempotency_key = ?')
      .get(job.owner, job.idempotencyKey) as JobRow | undefined
    return row && fromRow(row)
  }

  #numberTaken(owner: string, invoiceNumber: string): boolean {
    const row = this.#db
      .prepare('SELECT 1 FROM jobs WHERE owner = ? AND invoice_number = ?')
      .get(owner, invoiceNumber)
    return row !== undefined
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the SQLite job store is closed')
  }
}
