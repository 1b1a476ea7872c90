import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Job, ReceivedMessage } from '@invoice-jobs/shared'
import { createAdapters, type Adapters } from '@invoice-jobs/shared/adapters'
import {
  openSqliteDatabase,
  type SqliteDatabase,
} from '@invoice-jobs/shared/embedded'
import { loadWorkerConfig, type WorkerEnv } from '../../src/config.js'
import { captureLogger, type LogLine } from './capture-logger.js'
import { queuedJob } from './invoice-jobs.js'

export interface Harness {
  dataDir: string
  config: WorkerEnv
  adapters: Adapters
  logger: ReturnType<typeof captureLogger>['logger']
  logs: LogLine[]
  /** Saves a queued job; the embedded store enqueues its message too. */
  createJob(overrides?: Partial<Job>): Promise<Job>
  /** Polls the store until `done(job)` holds. */
  waitForJob(id: string, done: (job: Job) => boolean): Promise<Job>
  /** Messages still in the queue (not dead-lettered) for a job. */
  queuedMessages(jobId: string): number
  /** Messages in the dead-letter subqueue for a job. */
  deadLetters(jobId: string): number
  /** Takes the job's message from the dead-letter subqueue. */
  takeDeadLetter(jobId: string): Promise<ReceivedMessage>
  close(): Promise<void>
}

/** Test defaults: short locks and retry delays, one data folder per test. */
const TEST_ENV = {
  LOCK_DURATION_MS: '1000',
  MAX_DELIVERIES: '3',
  RETRY_BASE_DELAY_MS: '20',
  RETRY_MAX_DELAY_MS: '100',
  SHUTDOWN_GRACE_MS: '2000',
  HEALTH_HOST: '127.0.0.1',
  HEALTH_PORT: '0',
}

/** Real embedded adapters (SQLite + folder) in a fresh temp folder. */
export async function createHarness(
  env: Record<string, string> = {},
): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'worker-test-'))
  const config = loadWorkerConfig({ ...TEST_ENV, ...env, DATA_DIR: dataDir })
  const { logger, lines } = captureLogger()
  const adapters = await createAdapters(config, { logger, role: 'worker' })
  let inspector: SqliteDatabase | undefined

  // Read straight from the SQLite file: the queue port has no way to count.
  function countMessages(jobId: string, deadLettered: 0 | 1): number {
    inspector ??= openSqliteDatabase(join(dataDir, 'jobs.db'))
    const row = inspector
      .prepare(
        `SELECT count(*) AS n FROM messages
         WHERE message_id = ? AND dead_lettered = ?`,
      )
      .get(jobId, deadLettered) as { n: number }
    return row.n
  }

  return {
    dataDir,
    config,
    adapters,
    logger,
    logs: lines,
    async createJob(overrides) {
      const job = queuedJob(overrides)
      const created = await adapters.store.create(job, {
        jobId: job.id,
        type: job.type,
      })
      if (created.outcome !== 'created') throw new Error(created.outcome)
      if (!created.enqueued) {
        await adapters.queue.send({ jobId: job.id, type: job.type })
      }
      return created.job
    },
    waitForJob: (id, done) => waitFor(() => adapters.store.get(id), done),
    queuedMessages: (jobId) => countMessages(jobId, 0),
    deadLetters: (jobId) => countMessages(jobId, 1),
    takeDeadLetter: (jobId) => takeDeadLetter(adapters, jobId),
    async close() {
      inspector?.close()
      await adapters.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

async function waitFor(
  load: () => Promise<Job | undefined>,
  done: (job: Job) => boolean,
  timeoutMs = 10_000,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const job = await load()
    if (job !== undefined && done(job)) return job
    if (Date.now() > deadline) {
      throw new Error(`job not as expected: ${JSON.stringify(job?.status)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function takeDeadLetter(
  adapters: Adapters,
  jobId: string,
  timeoutMs = 5000,
): Promise<ReceivedMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void subscription.close()
      reject(new Error(`no dead letter for job ${jobId}`))
    }, timeoutMs)
    const subscription = adapters.queue.subscribe(
      async (message) => {
        if (message.body.jobId !== jobId) {
          return adapters.queue.abandon(message)
        }
        await adapters.queue.complete(message)
        clearTimeout(timer)
        void subscription.close()
        resolve(message)
      },
      { concurrency: 1, deadLetter: true, onError: reject },
    )
  })
}
