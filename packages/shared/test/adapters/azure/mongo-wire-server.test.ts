import { randomUUID } from 'node:crypto'
import { MongoClient, type Collection, type Document, type Sort } from 'mongodb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  startMongoWireServer,
  type MongoWireServer,
} from '../../support/mongo-wire-server/index.js'

// The test double itself, driven through the real driver: if it lies,
// the adapter tests that rely on it prove nothing.
describe('mongo wire server (test support)', () => {
  let server: MongoWireServer
  let client: MongoClient
  let things: Collection<Document>

  beforeEach(async () => {
    server = await startMongoWireServer()
    client = new MongoClient(`${server.uri}?retryWrites=false`)
    await client.connect()
    things = client.db(`wire-${randomUUID()}`).collection('things')
  })
  afterEach(async () => {
    await client.close()
    await server.close()
  })

  it('answers the legacy OP_QUERY handshake, then speaks OP_MSG', async () => {
    await things.insertOne({ _id: 'a' as never })

    expect(server.commands[0]).toMatchObject({ name: 'ismaster', opCode: 2004 })
    expect(server.commands.at(-1)).toMatchObject({
      name: 'insert',
      opCode: 2013,
    })
  })

  it('refuses a second document with the same _id, as mongod words it', async () => {
    await things.insertOne({ _id: 'dup' as never })

    const error = await things
      .insertOne({ _id: 'dup' as never })
      .catch((e: unknown) => e)

    expect(error).toMatchObject({
      code: 11000,
      message: expect.stringMatching(
        /^E11000 duplicate key error collection: .*\.things index: _id_ dup key: \{ _id: "dup" \}$/,
      ),
    })
  })

  it('enforces a declared unique index and will not build one the data breaks', async () => {
    await things.createIndex({ email: 1 }, { unique: true, name: 'email_1' })
    await things.insertOne({ email: 'x@example.test' })

    await expect(
      things.insertOne({ email: 'x@example.test' }),
    ).rejects.toMatchObject({ code: 11000 })
    // Like mongod, a document without the field indexes it as null.
    await expect(things.insertOne({ other: 1 })).resolves.toBeDefined()
    await expect(things.insertOne({ other: 2 })).rejects.toMatchObject({
      code: 11000,
    })
    const tags = things.db.collection('tags')
    await tags.insertMany([{ tag: 't' }, { tag: 't' }])
    await expect(
      tags.createIndex({ tag: 1 }, { unique: true }),
    ).rejects.toMatchObject({ code: 11000 })
  })

  it('refuses an index that reuses a name with other options', async () => {
    await things.createIndex({ a: 1 }, { name: 'ttl', expireAfterSeconds: 60 })

    await expect(
      things.createIndex({ a: 1 }, { name: 'ttl', expireAfterSeconds: 30 }),
    ).rejects.toMatchObject({ code: 85 })
  })

  it('pages a result larger than one batch through getMore', async () => {
    await things.insertMany(Array.from({ length: 250 }, (_, n) => ({ n })))

    const all = await things.find({}).sort({ n: -1 }).toArray()

    expect(all).toHaveLength(250)
    expect(all[0]?.n).toBe(249)
    expect(server.commands.filter((c) => c.name === 'getMore')).toHaveLength(1)
  })

  it('upserts with $inc and $setOnInsert and returns the new document', async () => {
    const bump = () =>
      things.findOneAndUpdate(
        { _id: 'c' as never },
        { $inc: { seq: 1 }, $setOnInsert: { owner: 'o' } },
        { upsert: true, returnDocument: 'after' },
      )

    expect(await bump()).toEqual({ _id: 'c', seq: 1, owner: 'o' })
    expect(await bump()).toEqual({ _id: 'c', seq: 2, owner: 'o' })
  })

  it('matches a null filter against both null and missing fields', async () => {
    await things.insertMany([{ k: 1, at: null }, { k: 2 }, { k: 3, at: 1 }])

    const found = await things.find({ at: null }).project({ _id: 0 }).toArray()

    expect(found).toEqual([{ k: 1, at: null }, { k: 2 }])
  })

  it('answers an unknown command with CommandNotFound', async () => {
    await expect(things.db.command({ frobnicate: 1 })).rejects.toMatchObject({
      code: 59,
    })
  })

  it('fails the next commands as told, then recovers', async () => {
    server.failNext('ping', { code: 16500, count: 2 })
    const ping = () => things.db.command({ ping: 1 })

    await expect(ping()).rejects.toThrow(/RetryAfterMs=50/)
    await expect(ping()).rejects.toMatchObject({ code: 16500 })
    await expect(ping()).resolves.toMatchObject({ ok: 1 })
  })

  it('injects a duplicate key as a write error that stores nothing', async () => {
    server.failNext('insert', { code: 11000 })

    await expect(things.insertOne({ n: 1 })).rejects.toMatchObject({
      code: 11000,
    })
    expect(server.database(things.dbName).documents('things')).toEqual([])
  })

  describe('when sorts require an index', () => {
    beforeEach(async () => {
      server.requireIndexForSort = true
      await things.createIndex({ a: 1, b: 1 })
      await things.insertOne({ a: 1, b: 2 })
    })

    it.each([
      ['the leading key', {}, { a: 1 }],
      ['a later key after an equality', { a: 1 }, { b: 1 }],
      ['the index reversed', {}, { a: -1, b: -1 }],
      ['_id', {}, { _id: 1 }],
    ])('accepts a sort on %s', async (_, filter, sort) => {
      await expect(
        things
          .find(filter)
          .sort(sort as Sort)
          .toArray(),
      ).resolves.toHaveLength(1)
    })

    it.each([
      ['an unindexed field', {}, { c: 1 }],
      ['a later key without an equality', { a: { $gt: 0 } }, { b: 1 }],
      ['mixed directions', {}, { a: 1, b: -1 }],
    ])('refuses a sort on %s', async (_, filter, sort) => {
      await expect(
        things
          .find(filter)
          .sort(sort as Sort)
          .toArray(),
      ).rejects.toMatchObject({ code: 2 })
    })
  })
})
