import type { TokenCredential } from '@azure/identity'
import { MongoClient } from 'mongodb'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createMongoJobStore,
  mongoClientOptions,
} from '../../../src/adapters/azure/mongo-job-store.js'
import { detectFlavour } from '../../../src/adapters/azure/mongo/mongo-indexes.js'
import { makeJob, messageFor } from '../../contracts/job-fixtures.js'
import {
  openWireStore,
  silentLogger,
  type WireStoreFixture,
} from './mongo-fixture.js'

const DAY = 24 * 60 * 60

describe('createMongoJobStore', () => {
  let fixture: WireStoreFixture
  const extra: Array<{ close(): Promise<void> }> = []

  afterEach(async () => {
    for (const item of extra.splice(0)) await item.close()
    await fixture.cleanup()
  })

  const keysOf = (collection: string) =>
    fixture.server
      .database(fixture.database)
      .indexes(collection)
      .map((i) => i.key)

  describe('indexes', () => {
    it('declares the indexes its filtered and sorted queries need', async () => {
      fixture = await openWireStore()

      expect(keysOf('jobs')).toEqual([
        { _id: 1 },
        { dispatchedAt: 1, createdAt: 1 },
        { owner: 1, createdAt: -1 },
      ])
    })

    it('serves the dispatch query where sorts need an index, as in Cosmos DB', async () => {
      fixture = await openWireStore({ server: { requireIndexForSort: true } })
      const job = makeJob({ createdAt: new Date(Date.UTC(2003, 0, 1)) })
      await fixture.store.create(job, messageFor(job))

      const pending = await fixture.store.findUndispatched(new Date(), 10)

      expect(pending.map((j) => j.id)).toEqual([job.id])
    })

    it('would be refused the same query without those indexes', async () => {
      fixture = await openWireStore({ server: { requireIndexForSort: true } })
      const client = new MongoClient(fixture.server.uri)
      extra.push(client)
      const bare = client.db(`${fixture.database}-bare`).collection('jobs')
      await bare.insertOne({ dispatchedAt: null, createdAt: new Date(0) })

      const query = bare
        .find({ dispatchedAt: null, createdAt: { $lt: new Date() } })
        .sort({ createdAt: 1 })
        .toArray()

      await expect(query).rejects.toMatchObject({ code: 2 })
    })

    it('creates them again without error when another replica starts', async () => {
      fixture = await openWireStore()
      const second = await createMongoJobStore({
        uri: fixture.server.uri,
        database: fixture.database,
        auth: 'uri',
        logger: silentLogger,
      })
      extra.push(second)

      expect(keysOf('jobs')).toHaveLength(3)
    })
  })

  describe('retention', () => {
    it('adds no TTL index unless retention is configured', async () => {
      fixture = await openWireStore()

      const ttl = fixture.server
        .database(fixture.database)
        .indexes('jobs')
        .filter((i) => i.expireAfterSeconds !== undefined)
      expect(ttl).toEqual([])
    })

    it('expires on updatedAt on vCore and MongoDB', async () => {
      fixture = await openWireStore({
        flavour: 'cosmos-vcore',
        retentionDays: 30,
      })
      const view = fixture.server.database(fixture.database)

      expect(view.indexes('jobs')).toContainEqual(
        expect.objectContaining({
          key: { updatedAt: 1 },
          expireAfterSeconds: 30 * DAY,
        }),
      )
      expect(view.indexes('idempotency')).toContainEqual(
        expect.objectContaining({ key: { createdAt: 1 } }),
      )
    })

    it('expires on the _ts system field on RU Cosmos DB', async () => {
      fixture = await openWireStore({ flavour: 'cosmos-ru', retentionDays: 7 })

      expect(
        fixture.server.database(fixture.database).indexes('jobs'),
      ).toContainEqual(
        expect.objectContaining({
          key: { _ts: 1 },
          expireAfterSeconds: 7 * DAY,
        }),
      )
    })

    it('starts and warns when an existing retention index differs', async () => {
      fixture = await openWireStore({
        flavour: 'cosmos-vcore',
        retentionDays: 30,
      })
      const lines: Array<{ msg: string }> = []
      const logger = pino(
        { level: 'warn' },
        { write: (line: string) => lines.push(JSON.parse(line)) },
      )

      const second = await createMongoJobStore({
        uri: fixture.server.uri,
        database: fixture.database,
        auth: 'uri',
        flavour: 'cosmos-vcore',
        retentionDays: 7,
        logger,
      })
      extra.push(second)

      expect(lines.map((l) => l.msg)).toContain(
        'mongo retention index differs from the configured one',
      )
    })
  })

  describe('flavour detection', () => {
    it.each([
      [
        'mongodb://acct:key@acct.mongo.cosmos.azure.com:10255/?ssl=true',
        'cosmos-ru',
      ],
      [
        'mongodb+srv://c.cluster.mongocluster.cosmos.azure.com/?tls=true',
        'cosmos-vcore',
      ],
      ['mongodb://localhost:27017/', 'mongodb'],
    ])('reads %s as %s', (uri, flavour) => {
      expect(detectFlavour(uri)).toBe(flavour)
    })
  })

  describe('passwordless vCore access', () => {
    /** A credential that hands out a fixed token and notes each scope. */
    function fixedCredential(token: string | null): TokenCredential & {
      scopes: string[]
    } {
      const scopes: string[] = []
      return {
        scopes,
        async getToken(scope) {
          scopes.push(...[scope].flat())
          if (token === null) return null
          return { token, expiresOnTimestamp: Date.now() + 3_600_000 }
        },
      }
    }

    it('signs in with MONGODB-OIDC and a token for the Cosmos DB audience', async () => {
      const credential = fixedCredential('token-for-tests')
      fixture = await openWireStore({ auth: 'azure-oidc', credential })
      const job = makeJob()

      await fixture.store.create(job, messageFor(job))

      expect(fixture.server.oidcTokens).toContain('token-for-tests')
      expect(new Set(credential.scopes)).toEqual(
        new Set(['https://ossrdbms-aad.database.windows.net/.default']),
      )
      expect((await fixture.store.get(job.id))?.id).toBe(job.id)
    })

    it('does not start when no token is issued', async () => {
      fixture = await openWireStore()

      await expect(
        createMongoJobStore({
          uri: fixture.server.uri,
          database: fixture.database,
          auth: 'azure-oidc',
          credential: fixedCredential(null),
          logger: silentLogger,
        }),
      ).rejects.toThrow(/no Entra token/)
      expect(fixture.server.oidcTokens).toEqual([])
    })

    it('leaves credentials to the URI otherwise', () => {
      const client = new MongoClient(
        'mongodb://localhost:27017/',
        mongoClientOptions({ auth: 'uri' }),
      )

      expect(client.options.credentials).toBeUndefined()
    })
  })

  describe('lifecycle', () => {
    it('refuses a retention that is not a whole number of days', async () => {
      fixture = await openWireStore()

      await expect(
        createMongoJobStore({
          uri: fixture.server.uri,
          database: fixture.database,
          auth: 'uri',
          retentionDays: 0.5,
          logger: silentLogger,
        }),
      ).rejects.toThrow(/retentionDays must be a positive integer/)
    })

    it('refuses work once closed', async () => {
      fixture = await openWireStore()
      await fixture.store.close()

      await expect(fixture.store.get('x')).rejects.toThrow(/closed/)
    })

    it('fails to start, and closes its client, when indexes cannot be made', async () => {
      fixture = await openWireStore()
      fixture.server.failNext('createIndexes', {
        code: 13,
        errmsg: 'not authorized',
      })

      await expect(
        createMongoJobStore({
          uri: fixture.server.uri,
          database: fixture.database,
          auth: 'uri',
          logger: silentLogger,
        }),
      ).rejects.toMatchObject({ code: 13 })
    })
  })
})
