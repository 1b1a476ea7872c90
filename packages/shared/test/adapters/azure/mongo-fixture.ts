import { randomUUID } from 'node:crypto'
import { MongoClient } from 'mongodb'
import { pino } from 'pino'
import {
  createMongoJobStore,
  type MongoJobStoreOptions,
} from '../../../src/adapters/azure/mongo-job-store.js'
import type { JobStore } from '../../../src/ports/job-store.js'
import {
  startMongoWireServer,
  type MongoWireServer,
  type MongoWireServerOptions,
} from '../../support/mongo-wire-server/index.js'

export const silentLogger = pino({ level: 'silent' })

/** A database name no other test uses. */
export const uniqueDatabase = () => `jobs-${randomUUID().slice(0, 18)}`

export interface WireStoreFixture {
  server: MongoWireServer
  store: JobStore
  database: string
  cleanup(): Promise<void>
}

/** A wire server of its own and a store connected to a fresh database. */
export async function openWireStore(
  options: Partial<MongoJobStoreOptions> & {
    server?: MongoWireServerOptions
    query?: string
  } = {},
): Promise<WireStoreFixture> {
  const server = await startMongoWireServer(options.server)
  const database = uniqueDatabase()
  try {
    const store = await createMongoJobStore({
      uri: `${server.uri}${options.query ?? ''}`,
      database,
      auth: 'uri',
      logger: silentLogger,
      ...options,
    })
    return {
      server,
      store,
      database,
      async cleanup() {
        await store.close()
        await server.close()
      },
    }
  } catch (error) {
    await server.close()
    throw error
  }
}

/** A store on the real server at `uri`; cleanup drops its database. */
export async function openRealStore(uri: string) {
  const database = uniqueDatabase()
  const store = await createMongoJobStore({
    uri,
    database,
    auth: 'uri',
    logger: silentLogger,
  })
  return {
    store,
    async cleanup() {
      await store.close()
      const client = new MongoClient(uri)
      try {
        await client.db(database).dropDatabase()
      } finally {
        await client.close()
      }
    },
  }
}
