import type { Statement } from 'better-sqlite3'
import type { SqliteDatabase } from './sqlite-database.js'

/** The queue's SQL, compiled once per database connection. */
export interface QueueStatements {
  /** Cheap read before taking the write lock: is there anything to do? */
  hasWork: Statement
  deadLetterExhausted: Statement
  claim: Statement
  nextVisible: Statement
  nextUnlock: Statement
  held: Statement
  complete: Statement
  release: Statement
  moveToDeadLetter: Statement
  renew: Statement
}

/** Compiles the queue's statements on `db` (tables must exist). */
export function prepareQueueStatements(db: SqliteDatabase): QueueStatements {
  return {
    hasWork: db.prepare(
      `SELECT EXISTS (
         SELECT 1 FROM messages
         WHERE dead_lettered = @deadLetter AND visible_at <= @now
           AND (locked_until IS NULL OR locked_until <= @now))
       OR EXISTS (
         SELECT 1 FROM messages
         WHERE locked_until <= @now AND dead_lettered = 0
           AND delivery_count >= @maxDeliveries) AS work`,
    ),
    deadLetterExhausted: db.prepare(
      `UPDATE messages
       SET dead_lettered = 1, dead_letter_reason = @reason,
           dead_letter_description = 'lock expired on the last delivery',
           lock_token = NULL, locked_until = NULL, visible_at = @now
       WHERE locked_until <= @now AND dead_lettered = 0
         AND delivery_count >= @maxDeliveries`,
    ),
    claim: db.prepare(
      `UPDATE messages
       SET lock_token = @token, locked_until = @lockedUntil,
           delivery_count = delivery_count + 1
       WHERE seq = (
         SELECT seq FROM messages
         WHERE dead_lettered = @deadLetter AND visible_at <= @now
           AND (locked_until IS NULL OR locked_until <= @now)
         ORDER BY visible_at, seq LIMIT 1)
       RETURNING *`,
    ),
    nextVisible: db.prepare(
      `SELECT min(visible_at) AS due FROM messages
       WHERE dead_lettered = @deadLetter AND visible_at > @now`,
    ),
    nextUnlock: db.prepare(
      `SELECT min(locked_until) AS due FROM messages
       WHERE locked_until > @now`,
    ),
    held: db.prepare(
      `SELECT * FROM messages
       WHERE seq = @seq AND lock_token = @token AND locked_until > @now`,
    ),
    complete: db.prepare(
      `DELETE FROM messages
       WHERE seq = @seq AND lock_token = @token AND locked_until > @now`,
    ),
    release: db.prepare(
      `UPDATE messages
       SET lock_token = NULL, locked_until = NULL, visible_at = @visibleAt
       WHERE seq = @seq`,
    ),
    moveToDeadLetter: db.prepare(
      `UPDATE messages
       SET dead_lettered = 1, dead_letter_reason = @reason,
           dead_letter_description = @description, lock_token = NULL,
           locked_until = NULL, visible_at = @now
       WHERE seq = @seq`,
    ),
    renew: db.prepare(
      `UPDATE messages SET locked_until = @lockedUntil
       WHERE seq = @seq AND lock_token = @token AND locked_until > @now`,
    ),
  }
}
