import type { Statement } from 'better-sqlite3'
import type { QueueMessage } from '../../schemas/message.js'
import type { SqliteDatabase } from './sqlite-database.js'

/** How long a message id is remembered to drop duplicate sends. */
export const DEFAULT_DUPLICATE_WINDOW_MS = 10 * 60_000

/** A row of the `messages` table. */
export interface MessageRow {
  seq: number
  message_id: string
  body: string
  correlation_id: string | null
  enqueued_at: number
  visible_at: number
  locked_until: number | null
  lock_token: string | null
  delivery_count: number
  dead_lettered: number
  dead_letter_reason: string | null
  dead_letter_description: string | null
}

interface SendStatements {
  remember: Statement
  insert: Statement
  forget: Statement
}

/** Compiled once per connection; the store and the queue share them. */
const compiled = new WeakMap<SqliteDatabase, SendStatements>()

function statements(db: SqliteDatabase): SendStatements {
  let found = compiled.get(db)
  if (!found) {
    found = {
      remember: db.prepare(
        `INSERT INTO sent_message_ids (message_id, sent_at) VALUES (?, ?)
         ON CONFLICT (message_id) DO UPDATE SET sent_at = excluded.sent_at
         WHERE sent_message_ids.sent_at <= ?`,
      ),
      insert: db.prepare(
        `INSERT INTO messages
           (message_id, body, correlation_id, enqueued_at, visible_at)
         VALUES (?, ?, ?, ?, ?)`,
      ),
      forget: db.prepare('DELETE FROM sent_message_ids WHERE sent_at <= ?'),
    }
    compiled.set(db, found)
  }
  return found
}

export interface InsertMessageOptions {
  messageId: string
  correlationId?: string
  now: number
  duplicateWindowMs?: number
}

/**
 * Adds a message unless one with the same id was sent within the
 * duplicate-detection window, as Service Bus does. Call it inside the
 * caller's transaction so that a job and its message commit together.
 * Returns false when the message was a duplicate and was dropped.
 */
export function insertMessage(
  db: SqliteDatabase,
  message: QueueMessage,
  options: InsertMessageOptions,
): boolean {
  const window = options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS
  const remembered = statements(db).remember.run(
    options.messageId,
    options.now,
    options.now - window,
  )
  if (remembered.changes === 0) return false

  statements(db).insert.run(
    options.messageId,
    JSON.stringify(message),
    options.correlationId ?? null,
    options.now,
    options.now,
  )
  return true
}

/** Forgets message ids older than the window so the table stays small. */
export function forgetOldMessageIds(
  db: SqliteDatabase,
  now: number,
  duplicateWindowMs = DEFAULT_DUPLICATE_WINDOW_MS,
): void {
  statements(db).forget.run(now - duplicateWindowMs)
}
