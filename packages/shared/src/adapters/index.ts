import type { AdapterEnv } from '../config/adapters.js'
import type { Logger } from '../logging/create-logger.js'
import type { BlobStore } from '../ports/blob-store.js'
import type { JobQueue } from '../ports/job-queue.js'
import type { JobStore } from '../ports/job-store.js'

/** The three ports, as one process uses them. */
export interface Adapters {
  store: JobStore
  queue: JobQueue
  blobs: BlobStore
  /** Closes queue, store and blobs in that order; safe to call twice. */
  close(): Promise<void>
}

export interface CreateAdaptersOptions {
  logger: Logger
  /** Which process asks: the worker also ensures the blob container. */
  role: 'api' | 'worker'
}

export type { AdapterEnv }
export { adapterEnvProblems } from './adapter-env-problems.js'
export { createAdapters } from './create-adapters.js'
