import { join } from 'node:path'
import type { Logger } from '../../logging/create-logger.js'
import type { Adapters } from '../index.js'
import { FilesystemBlobStore } from './filesystem-blob-store.js'
import { openSqliteDatabase } from './sqlite-database.js'
import { SqliteJobQueue } from './sqlite-job-queue.js'
import { SqliteJobStore } from './sqlite-job-store.js'

export * from './blob-name.js'
export * from './filesystem-blob-store.js'
export * from './sqlite-database.js'
export * from './sqlite-job-queue.js'
export * from './sqlite-job-store.js'

export interface EmbeddedOptions {
  /** Holds `jobs.db` (jobs and queue) and `blobs/`. */
  dataDir: string
  maxDeliveries: number
  lockDurationMs: number
  logger?: Logger
  /** Safety-net poll of the queue. @defaultValue 1000 */
  fallbackPollMs?: number
}

/**
 * The zero-dependency setup: one SQLite file holds jobs and the queue, so
 * a job and its message commit in one transaction, and a folder holds the
 * documents. The API and the worker may open the same data folder.
 */
export async function openEmbedded(
  options: EmbeddedOptions,
): Promise<Adapters> {
  const db = openSqliteDatabase(join(options.dataDir, 'jobs.db'))
  const queue = new SqliteJobQueue({
    db,
    maxDeliveries: options.maxDeliveries,
    lockDurationMs: options.lockDurationMs,
    fallbackPollMs: options.fallbackPollMs,
  })
  const store = new SqliteJobStore({ db, enqueue: true })
  const blobs = new FilesystemBlobStore(join(options.dataDir, 'blobs'))
  options.logger?.info(
    { dataDir: options.dataDir, database: db.name },
    'embedded adapters opened',
  )

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= closeAll(
      [
        () => queue.close(),
        () => store.close(),
        () => blobs.close(),
        async () => {
          if (db.open) db.close()
        },
      ],
      options.logger,
    )
    return closing
  }
  return { store, queue, blobs, close }
}

/** Runs every step even when one fails, then reports the first failure. */
async function closeAll(
  steps: Array<() => Promise<void>>,
  logger: Logger | undefined,
): Promise<void> {
  let first: unknown
  for (const step of steps) {
    try {
      await step()
    } catch (err) {
      logger?.error({ err }, 'embedded adapter failed to close')
      first ??= err
    }
  }
  if (first !== undefined) throw first
}
