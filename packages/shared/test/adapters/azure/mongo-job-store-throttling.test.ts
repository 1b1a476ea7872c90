import { MongoNetworkError, MongoServerError } from 'mongodb'
import { afterEach, describe, expect, it } from 'vitest'
import { makeJob, messageFor } from '../../contracts/job-fixtures.js'
import { openWireStore, type WireStoreFixture } from './mongo-fixture.js'

const throttled = (ms: number) =>
  `Request rate is large. More Request Units may be needed, so no changes were made. Please retry this request later. RetryAfterMs=${ms}, Details='Response status code does not indicate success: TooManyRequests (429)'`

const count = (fixture: WireStoreFixture, name: string) =>
  fixture.server.commands.filter((c) => c.name === name).length

describe('MongoJobStore under throttling and network faults', () => {
  let fixture: WireStoreFixture

  afterEach(async () => {
    await fixture.cleanup()
  })

  describe('when Cosmos DB answers 16500 TooManyRequests', () => {
    it('waits the RetryAfterMs the server asks, then succeeds', async () => {
      fixture = await openWireStore({ query: '?retryWrites=false' })
      fixture.server.failNext('insert', {
        code: 16500,
        errmsg: throttled(120),
        count: 2,
      })
      const job = makeJob({ idempotencyKey: 'k', requestHash: 'h' })
      const inserts = count(fixture, 'insert')
      const started = Date.now()

      const result = await fixture.store.create(job, messageFor(job))

      expect(result.outcome).toBe('created')
      // Two waits of 120 ms; timers may fire a millisecond early.
      expect(Date.now() - started).toBeGreaterThanOrEqual(235)
      // Two refused key inserts, then key, number and job.
      expect(count(fixture, 'insert') - inserts).toBe(5)
    })

    it('falls back to a short backoff when no wait is named', async () => {
      fixture = await openWireStore()
      const job = makeJob()
      await fixture.store.create(job, messageFor(job))
      fixture.server.failNext('find', {
        code: 16500,
        errmsg: 'Request rate is large',
      })

      expect((await fixture.store.get(job.id))?.id).toBe(job.id)
    })

    it('surfaces the error once the attempts are spent', async () => {
      fixture = await openWireStore({ retry: { attempts: 3 } })
      fixture.server.failNext('find', {
        code: 16500,
        errmsg: throttled(10),
        count: 10,
      })
      const finds = count(fixture, 'find')

      const error = await fixture.store.get('any').catch((e: unknown) => e)

      expect(error).toBeInstanceOf(MongoServerError)
      expect((error as MongoServerError).code).toBe(16500)
      expect(count(fixture, 'find') - finds).toBe(3)
    })

    it('surfaces the error at once when the wait exceeds the time budget', async () => {
      fixture = await openWireStore({ retry: { budgetMs: 500 } })
      fixture.server.failNext('find', { code: 16500, errmsg: throttled(5000) })
      const started = Date.now()

      await expect(fixture.store.get('any')).rejects.toMatchObject({
        code: 16500,
      })
      expect(Date.now() - started).toBeLessThan(500)
    })
  })

  describe('when the connection drops', () => {
    it('repeats a read beyond the driver’s own single retry', async () => {
      fixture = await openWireStore()
      const job = makeJob()
      await fixture.store.create(job, messageFor(job))
      fixture.server.failNext('find', { closeConnection: true, count: 2 })

      expect((await fixture.store.get(job.id))?.id).toBe(job.id)
    })

    it('recognises its own compare-and-set whose reply was lost', async () => {
      fixture = await openWireStore({ query: '?retryWrites=false' })
      const job = makeJob()
      await fixture.store.create(job, messageFor(job))
      fixture.server.failNext('findAndModify', {
        collection: 'jobs',
        closeConnection: true,
        afterExecute: true,
      })
      const at = new Date()

      const updated = await fixture.store.update(
        job.id,
        { status: 'queued', version: 1 },
        { status: 'processing', version: 2, updatedAt: at, attempts: 1 },
      )

      expect(updated).toMatchObject({ status: 'processing', version: 2 })
    })

    it('creates one job when the key insert landed but its reply was lost', async () => {
      fixture = await openWireStore({ query: '?retryWrites=false' })
      fixture.server.failNext('insert', {
        collection: 'idempotency',
        closeConnection: true,
        afterExecute: true,
      })
      const job = makeJob({ idempotencyKey: 'lost', requestHash: 'h' })

      const result = await fixture.store.create(job, messageFor(job))

      expect(result.outcome).toBe('created')
      const db = fixture.server.database(fixture.database)
      expect(db.documents('jobs').map((d) => d._id)).toEqual([job.id])
      expect(db.documents('idempotency')).toHaveLength(1)
    })

    it('does not repeat the invoice counter bump, which could skip a number', async () => {
      fixture = await openWireStore({ query: '?retryWrites=false' })
      fixture.server.failNext('findAndModify', {
        collection: 'counters',
        closeConnection: true,
      })

      await expect(
        fixture.store.nextInvoiceNumber('o', new Date()),
      ).rejects.toBeInstanceOf(MongoNetworkError)
    })
  })
})
