import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  openSqliteDatabase,
  type SqliteDatabase,
} from '../../../src/adapters/embedded/sqlite-database.js'
import { SqliteJobStore } from '../../../src/adapters/embedded/sqlite-job-store.js'
import { describeJobStoreContract } from '../../contracts/job-store-contract.js'
import { makeJob, messageFor } from '../../contracts/job-fixtures.js'
import { tempDir } from './temp-dir.js'

async function openStore(enqueue: boolean) {
  const dir = await tempDir()
  const db = openSqliteDatabase(join(dir.path, 'jobs.db'))
  const store = new SqliteJobStore({ db, enqueue, closeDatabase: true })
  return {
    db,
    store,
    async cleanup() {
      await store.close()
      await dir.remove()
    },
  }
}

describeJobStoreContract('SQLite, enqueueing atomically', () => openStore(true))
describeJobStoreContract('SQLite, without a queue', () => openStore(false))

describe('SqliteJobStore', () => {
  let db: SqliteDatabase
  let store: SqliteJobStore
  let cleanup: () => Promise<void>

  beforeEach(async () => {
    ;({ db, store, cleanup } = await openStore(true))
  })
  afterEach(async () => {
    await cleanup()
  })

  const countMessages = () =>
    (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n

  describe('create with enqueue', () => {
    it('writes the message in the same transaction as the job', async () => {
      const job = makeJob()

      const result = await store.create(job, messageFor(job))

      expect(result).toMatchObject({ outcome: 'created', enqueued: true })
      expect(countMessages()).toBe(1)
      const row = db.prepare('SELECT * FROM messages').get() as {
        message_id: string
        body: string
      }
      expect(row.message_id).toBe(job.id)
      expect(JSON.parse(row.body)).toEqual(messageFor(job))
      expect((await store.get(job.id))?.dispatchedAt).toBeInstanceOf(Date)
    })

    it('leaves no job behind when the message insert fails', async () => {
      db.exec(`CREATE TRIGGER refuse_messages BEFORE INSERT ON messages
               BEGIN SELECT RAISE(ABORT, 'queue unavailable'); END`)
      const job = makeJob()

      await expect(store.create(job, messageFor(job))).rejects.toThrow(
        'queue unavailable',
      )

      expect(await store.get(job.id)).toBeUndefined()
      expect(countMessages()).toBe(0)
    })

    it('sends no second message for a replayed request', async () => {
      const job = makeJob({ idempotencyKey: 'k', requestHash: 'h' })
      const again = makeJob({ ...job, id: makeJob().id })

      await store.create(job, messageFor(job))
      await store.create(again, messageFor(again))

      expect(countMessages()).toBe(1)
    })
  })

  it('keeps its data when the file is opened again', async () => {
    const job = makeJob()
    await store.create(job, messageFor(job))
    const file = db.name

    const reopened = new SqliteJobStore({
      db: openSqliteDatabase(file),
      enqueue: false,
      closeDatabase: true,
    })
    try {
      expect((await reopened.get(job.id))?.input).toEqual(job.input)
    } finally {
      await reopened.close()
    }
  })

  it('refuses calls once closed', async () => {
    await store.close()

    await expect(store.get('x')).rejects.toThrow('closed')
  })
})
