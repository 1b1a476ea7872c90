import { join } from 'node:path'
import type { AdapterEnv } from '../config/adapters.js'
import { ConfigError } from '../config/load-config.js'
import type { BlobStore } from '../ports/blob-store.js'
import type { JobQueue } from '../ports/job-queue.js'
import type { JobStore } from '../ports/job-store.js'
import { adapterEnvProblems } from './adapter-env-problems.js'
import type { SqliteDatabase } from './embedded/sqlite-database.js'
import type { Adapters, CreateAdaptersOptions } from './index.js'

/** What the per-port factories share: the one SQLite file, if any. */
interface Context {
  env: AdapterEnv
  options: CreateAdaptersOptions
  sqlite(): Promise<SqliteDatabase>
}

/**
 * Opens the adapter each port's variable chooses. With the SQLite store
 * and the SQLite queue together, both use one file and a job's message is
 * written in the job's own transaction. Throws a ConfigError naming every
 * bad variable before opening anything.
 */
export async function createAdapters(
  env: AdapterEnv,
  options: CreateAdaptersOptions,
): Promise<Adapters> {
  const problems = adapterEnvProblems(env)
  if (problems.length > 0) throw new ConfigError(problems)

  let db: SqliteDatabase | undefined
  const context: Context = {
    env,
    options,
    async sqlite() {
      const { openSqliteDatabase } = await import('./embedded/index.js')
      db ??= openSqliteDatabase(join(env.DATA_DIR, 'jobs.db'))
      return db
    },
  }
  const opened: Array<() => Promise<void>> = []
  const closeAll = async () => {
    for (const close of opened.splice(0).reverse()) {
      try {
        await close()
      } catch (err) {
        options.logger.error({ err }, 'adapter failed to close')
      }
    }
  }

  try {
    opened.push(async () => {
      if (db?.open) db.close()
    })
    const blobs = await createBlobStore(context)
    opened.push(() => blobs.close())
    const store = await createJobStore(context)
    opened.push(() => store.close())
    const queue = await createJobQueue(context)
    opened.push(() => queue.close())

    options.logger.info(
      { store: env.JOB_STORE, queue: env.JOB_QUEUE, blobs: env.BLOB_STORE },
      'adapters opened',
    )
    let closing: Promise<void> | undefined
    return { store, queue, blobs, close: () => (closing ??= closeAll()) }
  } catch (err) {
    await closeAll()
    throw err
  }
}

async function createJobStore(context: Context): Promise<JobStore> {
  const { env } = context
  switch (env.JOB_STORE) {
    case 'sqlite': {
      const { SqliteJobStore } = await import('./embedded/index.js')
      const enqueue = env.JOB_QUEUE === 'sqlite'
      return new SqliteJobStore({ db: await context.sqlite(), enqueue })
    }
    case 'mongodb': {
      const { createMongoJobStore } = await import('./azure/index.js')
      return createMongoJobStore({
        // adapterEnvProblems has made sure it is set.
        uri: env.MONGODB_URI ?? '',
        database: env.MONGODB_DATABASE,
        auth: env.MONGODB_AUTH,
        clientId: env.AZURE_CLIENT_ID,
        retentionDays: env.JOB_RETENTION_DAYS,
        logger: context.options.logger,
      })
    }
    default:
      return unknownChoice('JOB_STORE', env.JOB_STORE)
  }
}

async function createJobQueue(context: Context): Promise<JobQueue> {
  const { env } = context
  switch (env.JOB_QUEUE) {
    case 'sqlite': {
      const { SqliteJobQueue } = await import('./embedded/index.js')
      return new SqliteJobQueue({
        db: await context.sqlite(),
        maxDeliveries: env.MAX_DELIVERIES,
        lockDurationMs: env.LOCK_DURATION_MS,
      })
    }
    case 'servicebus': {
      const { createServiceBusJobQueue } = await import('./azure/index.js')
      return createServiceBusJobQueue({
        namespace: env.SERVICEBUS_NAMESPACE,
        connectionString: env.SERVICEBUS_CONNECTION_STRING,
        queueName: env.SERVICEBUS_QUEUE,
        clientId: env.AZURE_CLIENT_ID,
        maxDeliveries: env.MAX_DELIVERIES,
        logger: context.options.logger,
      })
    }
    default:
      return unknownChoice('JOB_QUEUE', env.JOB_QUEUE)
  }
}

async function createBlobStore(context: Context): Promise<BlobStore> {
  const { env } = context
  switch (env.BLOB_STORE) {
    case 'filesystem': {
      const { FilesystemBlobStore } = await import('./embedded/index.js')
      const blobs = new FilesystemBlobStore(join(env.DATA_DIR, 'blobs'))
      // Creates the folder, so both roles find it before the first write.
      await blobs.check()
      return blobs
    }
    case 'azure': {
      const { createAzureBlobStore } = await import('./azure/index.js')
      return createAzureBlobStore({
        accountUrl: env.STORAGE_ACCOUNT_URL,
        connectionString: env.STORAGE_CONNECTION_STRING,
        containerName: env.STORAGE_CONTAINER,
        clientId: env.AZURE_CLIENT_ID,
        // Ensured once at startup by the worker, which writes; the API
        // only reads and may lack the right to create containers.
        ensureContainer: context.options.role === 'worker',
        logger: context.options.logger,
      })
    }
    default:
      return unknownChoice('BLOB_STORE', env.BLOB_STORE)
  }
}

/** Only reachable when env skipped the schema that lists the choices. */
function unknownChoice(variable: string, value: unknown): never {
  throw new ConfigError([`${variable}: unknown adapter "${String(value)}"`])
}
