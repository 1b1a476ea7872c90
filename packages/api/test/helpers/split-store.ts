import { join } from 'node:path'
import {
  openSqliteDatabase,
  SqliteJobStore,
} from '@invoice-jobs/shared/embedded'

/**
 * A real SQLite job store in its own file that does not enqueue: like the
 * Cosmos DB store, it leaves sending the message to the caller.
 */
export function openNonEnqueuingStore(dir: string): SqliteJobStore {
  const db = openSqliteDatabase(join(dir, 'split-store.db'))
  return new SqliteJobStore({ db, enqueue: false, closeDatabase: true })
}
