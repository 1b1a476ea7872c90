import { MongoServerError, type IndexDescription } from 'mongodb'
import type { Logger } from '../../../logging/create-logger.js'
import type { Collections } from './mongo-documents.js'

/**
 * Which server the store talks to. They differ in how documents expire:
 * the RU-based API only supports TTL on its system field `_ts` (seconds
 * since the last write); vCore and MongoDB expire on a Date field.
 */
export type MongoFlavour = 'cosmos-ru' | 'cosmos-vcore' | 'mongodb'

/** Guesses the flavour from the host names in the connection string. */
export function detectFlavour(uri: string): MongoFlavour {
  const hosts = uri.replace(/^mongodb(\+srv)?:\/\//, '').split('/')[0] ?? ''
  if (/\.mongocluster\.cosmos\.azure\./i.test(hosts)) return 'cosmos-vcore'
  if (/\.mongo\.cosmos\.azure\./i.test(hosts)) return 'cosmos-ru'
  return 'mongodb'
}

/**
 * Indexes the queries need. Cosmos DB refuses a sort that no index serves,
 * so each sorted query has one: the dispatch relay's
 * `{ dispatchedAt: null, createdAt: { $lt } }` sorted by `createdAt`, and
 * an owner's jobs newest first. Uniqueness never comes from a secondary
 * index (RU Cosmos only allows unique indexes on empty collections); it
 * comes from `_id`.
 */
const queryIndexes: IndexDescription[] = [
  { key: { dispatchedAt: 1, createdAt: 1 }, name: 'pending_dispatch' },
  { key: { owner: 1, createdAt: -1 }, name: 'owner_recent' },
]

function retentionIndexes(
  flavour: MongoFlavour,
  seconds: number,
): { jobs: IndexDescription; idempotency: IndexDescription } {
  if (flavour === 'cosmos-ru') {
    // RU: expiry counts from the last write of the document (`_ts`).
    const ttl = {
      key: { _ts: 1 },
      name: 'retention',
      expireAfterSeconds: seconds,
    }
    return { jobs: ttl, idempotency: ttl }
  }
  // vCore/MongoDB: a finished job stops being written, so `updatedAt`
  // dates its end; a job still running keeps moving it forward.
  return {
    jobs: {
      key: { updatedAt: 1 },
      name: 'retention',
      expireAfterSeconds: seconds,
    },
    idempotency: {
      key: { createdAt: 1 },
      name: 'retention',
      expireAfterSeconds: seconds,
    },
  }
}

const CONFLICT_CODES = new Set([85, 86]) // IndexOptionsConflict, KeySpecs

/**
 * Creates the indexes (idempotent: existing identical indexes are kept).
 * A retention index that exists with other options is left as it is and
 * logged, because changing it means dropping it (see docs/cosmos.md).
 */
export async function ensureIndexes(
  stores: Collections,
  options: { flavour: MongoFlavour; retentionDays?: number; logger: Logger },
): Promise<void> {
  await stores.jobs.createIndexes(queryIndexes)
  if (!options.retentionDays) return

  const seconds = options.retentionDays * 24 * 60 * 60
  const ttl = retentionIndexes(options.flavour, seconds)
  const wanted = [
    [stores.jobs, ttl.jobs],
    [stores.idempotency, ttl.idempotency],
  ] as const
  for (const [collection, index] of wanted) {
    try {
      await collection.createIndexes([index])
    } catch (error) {
      const conflict =
        error instanceof MongoServerError &&
        CONFLICT_CODES.has(Number(error.code))
      if (!conflict) throw error
      options.logger.warn(
        { err: error, collection: collection.collectionName },
        'mongo retention index differs from the configured one',
      )
    }
  }
}
