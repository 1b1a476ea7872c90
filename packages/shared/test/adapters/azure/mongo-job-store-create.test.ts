import { MongoClient } from 'mongodb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/errors/codes.js'
import { makeJob, messageFor } from '../../contracts/job-fixtures.js'
import { openWireStore, type WireStoreFixture } from './mongo-fixture.js'

const longAgo = () => new Date(Date.now() - 60 * 60_000)

describe('MongoJobStore.create', () => {
  let fixture: WireStoreFixture
  let client: MongoClient

  beforeEach(async () => {
    fixture = await openWireStore({
      query: '?retryWrites=false',
      orphanAfterMs: 30_000,
      settleMs: 200,
      retry: { attempts: 2 },
    })
    client = new MongoClient(fixture.server.uri)
  })
  afterEach(async () => {
    await client.close()
    await fixture.cleanup()
  })

  const db = () => fixture.server.database(fixture.database)
  const raw = (name: string) => client.db(fixture.database).collection(name)

  it('stores the job undispatched and never claims it was enqueued', async () => {
    const job = makeJob()

    const result = await fixture.store.create(job, messageFor(job))

    expect(result).toMatchObject({ outcome: 'created', enqueued: false })
    expect(db().documents('jobs')[0]).toMatchObject({
      _id: job.id,
      owner: job.owner,
      dispatchedAt: null,
    })
  })

  it('keys reservations by owner so that _id alone enforces uniqueness', async () => {
    const job = makeJob({ idempotencyKey: 'key-1', requestHash: 'h' })

    await fixture.store.create(job, messageFor(job))

    expect(db().documents('idempotency')).toEqual([
      expect.objectContaining({
        _id: `${job.owner}:key-1`,
        owner: job.owner,
        jobId: job.id,
        requestHash: 'h',
      }),
    ])
    expect(db().documents('invoiceNumbers')).toEqual([
      expect.objectContaining({
        _id: `${job.owner}:${job.invoiceNumber}`,
        jobId: job.id,
      }),
    ])
  })

  it('releases the idempotency key when the number is taken', async () => {
    const first = makeJob({ invoiceNumber: 'N-1' })
    await fixture.store.create(first, messageFor(first))
    const clash = makeJob({
      owner: first.owner,
      invoiceNumber: 'N-1',
      idempotencyKey: 'retry-me',
      requestHash: 'h',
    })

    expect((await fixture.store.create(clash, messageFor(clash))).outcome).toBe(
      'number-taken',
    )
    expect(db().documents('idempotency')).toEqual([])

    const fixed = { ...clash, invoiceNumber: 'N-2' }
    const result = await fixture.store.create(fixed, messageFor(fixed))
    expect(result.outcome).toBe('created')
  })

  it('undoes both reservations when the job insert fails', async () => {
    fixture.server.failNext('insert', {
      collection: 'jobs',
      code: 16500,
      count: 2, // both attempts the budget allows
    })
    const job = makeJob({ idempotencyKey: 'k', requestHash: 'h' })

    await expect(fixture.store.create(job, messageFor(job))).rejects.toThrow(
      /Request rate is large/,
    )
    expect(db().documents('idempotency')).toEqual([])
    expect(db().documents('invoiceNumbers')).toEqual([])

    const again = await fixture.store.create(job, messageFor(job))
    expect(again.outcome).toBe('created')
  })

  it('tries again when a reservation it collided with is gone on reading', async () => {
    fixture.server.failNext('insert', {
      collection: 'invoiceNumbers',
      code: 11000,
    })
    const job = makeJob()

    const result = await fixture.store.create(job, messageFor(job))

    expect(result.outcome).toBe('created')
    expect(db().documents('invoiceNumbers')[0]?.jobId).toBe(job.id)
  })

  it('takes over an old key and number whose job was never written', async () => {
    const job = makeJob({ idempotencyKey: 'orphan', requestHash: 'h' })
    const ghost = 'job-that-crashed'
    await raw('idempotency').insertOne({
      _id: `${job.owner}:orphan` as never,
      owner: job.owner,
      jobId: ghost,
      requestHash: 'h',
      createdAt: longAgo(),
    })
    await raw('invoiceNumbers').insertOne({
      _id: `${job.owner}:${job.invoiceNumber}` as never,
      owner: job.owner,
      jobId: ghost,
      createdAt: longAgo(),
    })

    const result = await fixture.store.create(job, messageFor(job))

    expect(result.outcome).toBe('created')
    expect(db().documents('idempotency')[0]?.jobId).toBe(job.id)
    expect(db().documents('invoiceNumbers')[0]?.jobId).toBe(job.id)
  })

  it('answers 503 while a recent key still waits for its job', async () => {
    const job = makeJob({ idempotencyKey: 'in-flight', requestHash: 'h' })
    await raw('idempotency').insertOne({
      _id: `${job.owner}:in-flight` as never,
      owner: job.owner,
      jobId: 'job-being-written',
      requestHash: 'h',
      createdAt: new Date(),
    })

    const error = await fixture.store
      .create(job, messageFor(job))
      .catch((e: unknown) => e)

    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('service_unavailable')
    expect(db().documents('jobs')).toEqual([])
  })

  it('refuses a number a recent reservation holds, even without its job', async () => {
    const job = makeJob()
    await raw('invoiceNumbers').insertOne({
      _id: `${job.owner}:${job.invoiceNumber}` as never,
      owner: job.owner,
      jobId: 'job-being-written',
      createdAt: new Date(),
    })

    const result = await fixture.store.create(job, messageFor(job))

    expect(result).toEqual({ outcome: 'number-taken' })
  })

  it('keeps an old number whose job still exists', async () => {
    const first = makeJob({ invoiceNumber: 'KEEP-1' })
    await fixture.store.create(first, messageFor(first))
    await raw('invoiceNumbers').updateOne(
      { _id: `${first.owner}:KEEP-1` as never },
      { $set: { createdAt: longAgo() } },
    )
    const second = makeJob({ owner: first.owner, invoiceNumber: 'KEEP-1' })

    const result = await fixture.store.create(second, messageFor(second))

    expect(result).toEqual({ outcome: 'number-taken' })
  })
})
