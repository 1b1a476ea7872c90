import type { Statement } from 'better-sqlite3'
import type { SqliteDatabase } from './sqlite-database.js'

/** The job store's SQL, compiled once per connection. */
export interface JobStatements {
  byId: Statement
  byKey: Statement
  byNumber: Statement
  insert: Statement
  update: Statement
  dispatched: Statement
  undispatched: Statement
  bump: Statement
  lease: Statement
}

/** Compiles the store's statements on `db` (tables must exist). */
export function prepareJobStatements(db: SqliteDatabase): JobStatements {
  return {
    byId: db.prepare('SELECT * FROM jobs WHERE id = ?'),
    byKey: db.prepare(
      'SELECT * FROM jobs WHERE owner = ? AND idempotency_key = ?',
    ),
    byNumber: db.prepare(
      'SELECT 1 FROM jobs WHERE owner = ? AND invoice_number = ?',
    ),
    insert: db.prepare(
      `INSERT INTO jobs (id, owner, status, version, invoice_number,
         idempotency_key, request_hash, created_at, dispatched_at, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    update: db.prepare(
      'UPDATE jobs SET status = ?, version = ?, doc = ? WHERE id = ?',
    ),
    dispatched: db.prepare(
      'UPDATE jobs SET dispatched_at = ?, doc = ? WHERE id = ?',
    ),
    undispatched: db.prepare(
      `SELECT * FROM jobs
       WHERE dispatched_at IS NULL AND created_at < ?
       ORDER BY created_at LIMIT ?`,
    ),
    bump: db.prepare(
      `INSERT INTO invoice_counters (owner, year, seq) VALUES (?, ?, 1)
       ON CONFLICT (owner, year) DO UPDATE SET seq = seq + 1
       RETURNING seq`,
    ),
    // Taken when free, expired, or already ours (a renewal).
    lease: db.prepare(
      `INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE
       SET holder = excluded.holder, until = excluded.until
       WHERE leases.holder = excluded.holder OR leases.until <= ?`,
    ),
  }
}
