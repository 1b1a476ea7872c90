import type { TokenCredential } from '@azure/identity'
import { MongoClient } from 'mongodb'
import type { Job } from '../../jobs/job.js'
import type { Logger } from '../../logging/create-logger.js'
import type {
  CreateJobResult,
  JobExpectation,
  JobStore,
  JobUpdate,
} from '../../ports/job-store.js'
import type { QueueMessage } from '../../schemas/message.js'
import { mongoClientOptions } from './mongo/mongo-client-options.js'
import { createJob, type Runner } from './mongo/mongo-create-job.js'
import {
  collections,
  counterId,
  fromJobDoc,
  invoiceNumberId,
  type Collections,
  type JobDoc,
} from './mongo/mongo-documents.js'
import {
  detectFlavour,
  ensureIndexes,
  type MongoFlavour,
} from './mongo/mongo-indexes.js'
import { isDuplicateKey } from './mongo/mongo-reservations.js'
import {
  defaultRetryBudget,
  withRetry,
  type RetryBudget,
} from './mongo/mongo-retry.js'

export type { MongoFlavour, RetryBudget }
export {
  COSMOS_VCORE_TOKEN_RESOURCE,
  mongoClientOptions,
} from './mongo/mongo-client-options.js'

export interface MongoJobStoreOptions {
  /** `mongodb://` or `mongodb+srv://`; RU Cosmos needs `retryWrites=false`. */
  uri: string
  database: string
  /**
   * `uri`: credentials (if any) are in the URI. `azure-oidc`: vCore
   * passwordless, with an Entra token through MONGODB-OIDC.
   */
  auth: 'uri' | 'azure-oidc'
  /** Client id of a user-assigned identity (`azure-oidc` only). */
  clientId?: string
  /** @defaultValue `azureCredential(clientId)` */
  credential?: TokenCredential
  logger: Logger
  /** Delete jobs this many days after their last change; none if unset. */
  retentionDays?: number
  /** @defaultValue guessed from the URI's host names */
  flavour?: MongoFlavour
  /** @defaultValue 5 attempts within 10 s of waiting */
  retry?: Partial<RetryBudget>
  /** Age after which a reservation without its job is an orphan.
   * @defaultValue 30_000 */
  orphanAfterMs?: number
  /** How long a request waits for a concurrent one's job to appear
   * before answering 503. @defaultValue 2_000 */
  settleMs?: number
}

/**
 * Connects, ensures the indexes, and returns the job store on Azure
 * Cosmos DB for MongoDB (RU or vCore) or on MongoDB itself.
 */
export async function createMongoJobStore(
  options: MongoJobStoreOptions,
): Promise<JobStore> {
  const days = options.retentionDays
  if (days !== undefined && !(Number.isInteger(days) && days > 0)) {
    throw new Error(`retentionDays must be a positive integer, not ${days}`)
  }
  const logger = options.logger.child({ component: 'mongo-job-store' })
  const client = new MongoClient(options.uri, mongoClientOptions(options))

  const budget = { ...defaultRetryBudget, ...options.retry }
  const run: Runner = (name, idempotent, operation) =>
    withRetry(name, { budget, logger, idempotent }, operation)
  const stores = collections(client.db(options.database))

  try {
    await client.connect()
    const flavour = options.flavour ?? detectFlavour(options.uri)
    await run('ensure indexes', true, () =>
      ensureIndexes(stores, {
        flavour,
        retentionDays: options.retentionDays,
        logger,
      }),
    )
    logger.info({ flavour }, 'mongo job store ready')
  } catch (error) {
    await client.close().catch(() => undefined)
    throw error
  }
  return new MongoJobStore(client, stores, run, logger, options)
}

class MongoJobStore implements JobStore {
  #closed?: Promise<void>

  constructor(
    private readonly client: MongoClient,
    private readonly stores: Collections,
    private readonly run: Runner,
    private readonly logger: Logger,
    private readonly options: MongoJobStoreOptions,
  ) {}

  async create(job: Job, _message: QueueMessage): Promise<CreateJobResult> {
    this.#assertOpen()
    return createJob(
      {
        stores: this.stores,
        run: this.run,
        logger: this.logger,
        orphanAfterMs: this.options.orphanAfterMs ?? 30_000,
        settleMs: this.options.settleMs ?? 2_000,
      },
      job,
    )
  }

  async get(id: string, owner?: string): Promise<Job | undefined> {
    this.#assertOpen()
    const filter = owner === undefined ? { _id: id } : { _id: id, owner }
    const doc = await this.run('get job', true, () =>
      this.stores.jobs.findOne(filter),
    )
    return doc ? fromJobDoc(doc) : undefined
  }

  async update(
    id: string,
    expected: JobExpectation,
    next: JobUpdate,
  ): Promise<Job | undefined> {
    this.#assertOpen()
    const $set: Partial<JobDoc> = {}
    const $unset: Record<string, ''> = {}
    for (const [key, value] of Object.entries(next)) {
      if (value === undefined) $unset[key] = ''
      else ($set as Record<string, unknown>)[key] = value
    }
    const change = Object.keys($unset).length ? { $set, $unset } : { $set }

    // Repeating this after a network error is safe: if the first try
    // landed, the doc now carries exactly `next`, which we recognise.
    // A first try that misses is a lost race and says so.
    let tries = 0
    const doc = await this.run('update job', true, async () => {
      tries += 1
      const updated = await this.stores.jobs.findOneAndUpdate(
        { _id: id, status: expected.status, version: expected.version },
        change,
        { returnDocument: 'after' },
      )
      if (updated || tries === 1) return updated
      const current = await this.stores.jobs.findOne({ _id: id })
      const landed =
        current?.status === next.status &&
        current.version === next.version &&
        current.updatedAt.getTime() === next.updatedAt.getTime()
      return landed ? current : null
    })
    return doc ? fromJobDoc(doc) : undefined
  }

  async nextInvoiceNumber(owner: string, now: Date): Promise<string> {
    this.#assertOpen()
    const year = now.getUTCFullYear()
    const _id = counterId(owner, year)

    // Not repeated on network errors: a lost reply would skip a number.
    for (;;) {
      const counter = await this.run('bump invoice counter', false, () =>
        this.stores.counters
          .findOneAndUpdate(
            { _id },
            { $inc: { seq: 1 }, $setOnInsert: { owner } },
            { upsert: true, returnDocument: 'after' },
          )
          // Two first-of-the-year upserts can race; the loser retries.
          .catch((error) => {
            if (!isDuplicateKey(error)) throw error
            return null
          }),
      )
      if (!counter) continue
      const number = `INV-${year}-${String(counter.seq).padStart(6, '0')}`

      // A client may have picked a number in our series: skip past it.
      const taken = await this.run('read invoice number', true, () =>
        this.stores.invoiceNumbers.findOne(
          { _id: invoiceNumberId(owner, number) },
          { projection: { _id: 1 } },
        ),
      )
      if (!taken) return number
    }
  }

  async markDispatched(id: string, at: Date): Promise<void> {
    this.#assertOpen()
    await this.run('mark dispatched', true, () =>
      this.stores.jobs.updateOne(
        { _id: id, dispatchedAt: null },
        { $set: { dispatchedAt: at } },
      ),
    )
  }

  async findUndispatched(before: Date, limit: number): Promise<Job[]> {
    this.#assertOpen()
    // Served by the `pending_dispatch` index; Cosmos refuses it without.
    const docs = await this.run('find undispatched', true, () =>
      this.stores.jobs
        .find({ dispatchedAt: null, createdAt: { $lt: before } })
        .sort({ createdAt: 1 })
        .limit(limit)
        .toArray(),
    )
    return docs.map(fromJobDoc)
  }

  async acquireLease(
    name: string,
    holder: string,
    until: Date,
  ): Promise<boolean> {
    this.#assertOpen()
    const now = new Date()
    // Matches when free to take; when another holder's lease is live the
    // upsert collides on `_id` instead, which means "not ours".
    return this.run('acquire lease', true, () =>
      this.stores.leases
        .updateOne(
          { _id: name, $or: [{ holder }, { until: { $lte: now } }] },
          { $set: { holder, until } },
          { upsert: true },
        )
        .then(
          () => true,
          (error: unknown) => {
            if (isDuplicateKey(error)) return false
            throw error
          },
        ),
    )
  }

  async check(): Promise<void> {
    this.#assertOpen()
    await this.client.db(this.options.database).command({ ping: 1 })
  }

  close(): Promise<void> {
    this.#closed ??= this.client.close().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'mongo client close failed')
    })
    return this.#closed
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the mongo job store is closed')
  }
}
