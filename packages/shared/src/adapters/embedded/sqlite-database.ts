import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import Database from 'better-sqlite3'

export type SqliteDatabase = Database.Database

export interface OpenSqliteOptions {
  /** How long a writer waits for another process's lock. @defaultValue 5000 */
  busyTimeoutMs?: number
}

/**
 * Each entry moves the schema one version up; `user_version` records how
 * far a file has come. Never edit a released entry: append a new one.
 */
const migrations: readonly string[] = [
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    invoice_number TEXT NOT NULL,
    idempotency_key TEXT,
    request_hash TEXT,
    created_at INTEGER NOT NULL,
    dispatched_at INTEGER,
    doc TEXT NOT NULL,
    UNIQUE (owner, invoice_number),
    UNIQUE (owner, idempotency_key)
  );
  CREATE INDEX jobs_undispatched ON jobs (created_at)
    WHERE dispatched_at IS NULL;

  CREATE TABLE invoice_counters (
    owner TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (owner, year)
  );

  CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until INTEGER NOT NULL
  );

  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL,
    body TEXT NOT NULL,
    correlation_id TEXT,
    enqueued_at INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    locked_until INTEGER,
    lock_token TEXT,
    delivery_count INTEGER NOT NULL DEFAULT 0,
    dead_lettered INTEGER NOT NULL DEFAULT 0,
    dead_letter_reason TEXT,
    dead_letter_description TEXT
  );
  CREATE INDEX messages_ready ON messages (dead_lettered, visible_at, seq);
  CREATE INDEX messages_locked ON messages (locked_until)
    WHERE locked_until IS NOT NULL;

  CREATE TABLE sent_message_ids (
    message_id TEXT PRIMARY KEY,
    sent_at INTEGER NOT NULL
  );
  `,
]

/**
 * Opens (creating it and its folder if needed) the SQLite file that holds
 * jobs and queue messages, in WAL mode so that the API and the worker can
 * read while the other writes, and brings its schema up to date.
 */
export function openSqliteDatabase(
  file: string,
  options: OpenSqliteOptions = {},
): SqliteDatabase {
  const path = resolve(file)
  mkdirSync(dirname(path), { recursive: true })

  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 })
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    // WAL with NORMAL survives a process crash; only power loss can drop
    // the last commits, which the dispatch relay would resend.
    db.pragma('synchronous = NORMAL')
    migrate(db)
  } catch (err) {
    db.close()
    throw err
  }
  return db
}

function migrate(db: SqliteDatabase): void {
  // IMMEDIATE, so two processes starting together migrate one at a time.
  const run = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number
    if (current > migrations.length) {
      throw new Error(
        `the database schema (version ${current}) is newer than this code ` +
          `(version ${migrations.length})`,
      )
    }
    for (let version = current; version < migrations.length; version++) {
      db.exec(migrations[version]!)
    }
    db.pragma(`user_version = ${migrations.length}`)
  })
  run.immediate()
}
