import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { transition } from '../../src/jobs/state-machine.js'
import type { JobStore } from '../../src/ports/job-store.js'
import { makeJob, messageFor } from './job-fixtures.js'

export interface JobStoreFixture {
  store: JobStore
  cleanup(): Promise<void>
}

/**
 * Declares the behaviour every JobStore adapter must show, through the
 * port only. Each test uses its own owner and ids, so the store may be
 * shared with other tests.
 */
export function describeJobStoreContract(
  name: string,
  setup: () => Promise<JobStoreFixture>,
): void {
  describe(`JobStore contract: ${name}`, () => {
    let fixture: JobStoreFixture
    let store: JobStore

    beforeEach(async () => {
      fixture = await setup()
      store = fixture.store
    })
    afterEach(async () => {
      await fixture.cleanup()
    })

    describe('create', () => {
      it('saves a new job that get returns unchanged', async () => {
        const job = makeJob({ requestId: 'req-1', traceparent: 'tp' })

        const result = await store.create(job, messageFor(job))

        expect(result.outcome).toBe('created')
        if (result.outcome !== 'created') return
        const stored = await store.get(job.id)
        const { dispatchedAt, ...rest } = stored!
        expect(rest).toEqual(job)
        expect(dispatchedAt !== undefined).toBe(result.enqueued)
        expect(result.job.id).toBe(job.id)
      })

      it('returns the job only to its owner when an owner is given', async () => {
        const job = makeJob()
        await store.create(job, messageFor(job))

        expect((await store.get(job.id, job.owner))?.id).toBe(job.id)
        expect(await store.get(job.id, `other-${randomUUID()}`)).toBeUndefined()
      })

      it('returns undefined for an unknown id', async () => {
        expect(await store.get(randomUUID())).toBeUndefined()
      })

      it('replays the earlier job for the same key and body', async () => {
        const first = makeJob({ idempotencyKey: 'k1', requestHash: 'h1' })
        await store.create(first, messageFor(first))
        const again = makeJob({
          owner: first.owner,
          idempotencyKey: 'k1',
          requestHash: 'h1',
        })

        const result = await store.create(again, messageFor(again))

        expect(result).toMatchObject({ outcome: 'replayed' })
        expect(result.outcome === 'replayed' && result.job.id).toBe(first.id)
        expect(await store.get(again.id)).toBeUndefined()
      })

      it('reports a conflict for the same key with another body', async () => {
        const first = makeJob({ idempotencyKey: 'k2', requestHash: 'h1' })
        await store.create(first, messageFor(first))
        const other = makeJob({
          owner: first.owner,
          idempotencyKey: 'k2',
          requestHash: 'h2',
        })

        const result = await store.create(other, messageFor(other))

        expect(result.outcome).toBe('key-conflict')
        expect(result.outcome === 'key-conflict' && result.job.id).toBe(
          first.id,
        )
        expect(await store.get(other.id)).toBeUndefined()
      })

      it('keeps idempotency keys apart per owner', async () => {
        const a = makeJob({ idempotencyKey: 'shared', requestHash: 'h' })
        const b = makeJob({ idempotencyKey: 'shared', requestHash: 'h' })

        expect((await store.create(a, messageFor(a))).outcome).toBe('created')
        expect((await store.create(b, messageFor(b))).outcome).toBe('created')
      })

      it('creates exactly one job for concurrent requests with one key', async () => {
        const owner = `owner-${randomUUID()}`
        const jobs = Array.from({ length: 8 }, () =>
          makeJob({ owner, idempotencyKey: 'burst', requestHash: 'h' }),
        )

        const results = await Promise.all(
          jobs.map((job) => store.create(job, messageFor(job))),
        )

        const outcomes = results.map((r) => r.outcome).sort()
        expect(outcomes).toEqual(['created', ...Array(7).fill('replayed')])
      })

      it('refuses an invoice number the owner already used', async () => {
        const first = makeJob({ invoiceNumber: 'A-1' })
        await store.create(first, messageFor(first))
        const second = makeJob({ owner: first.owner, invoiceNumber: 'A-1' })

        const result = await store.create(second, messageFor(second))

        expect(result).toEqual({ outcome: 'number-taken' })
        expect(await store.get(second.id)).toBeUndefined()
      })

      it('lets two owners use the same invoice number', async () => {
        const a = makeJob({ invoiceNumber: 'B-1' })
        const b = makeJob({ invoiceNumber: 'B-1' })

        await store.create(a, messageFor(a))
        expect((await store.create(b, messageFor(b))).outcome).toBe('created')
      })
    })

    describe('update', () => {
      it('writes when status and version match', async () => {
        const job = makeJob()
        await store.create(job, messageFor(job))
        const at = new Date(job.createdAt.getTime() + 1000)

        const updated = await store.update(
          job.id,
          { status: 'queued', version: 1 },
          { status: 'processing', version: 2, updatedAt: at, attempts: 1 },
        )

        expect(updated).toMatchObject({
          status: 'processing',
          version: 2,
          attempts: 1,
          updatedAt: at,
        })
        expect(await store.get(job.id)).toMatchObject({
          status: 'processing',
          version: 2,
          attempts: 1,
          invoiceNumber: job.invoiceNumber,
        })
      })

      it('keeps result and error written by a transition', async () => {
        const job = makeJob()
        await store.create(job, messageFor(job))
        const started = await transition(store, job, 'processing', {
          attempts: 1,
        })
        const result = {
          blobName: `${job.id}.pdf`,
          contentType: 'application/pdf',
          size: 1234,
          etag: '"e1"',
          fileName: 'invoice.pdf',
        }

        const done = await transition(store, started!, 'completed', { result })

        expect(done?.result).toEqual(result)
        expect((await store.get(job.id))?.result).toEqual(result)
        expect((await store.get(job.id))?.attempts).toBe(1)
      })

      it('rejects a stale version and leaves the job as it was', async () => {
        const job = makeJob()
        await store.create(job, messageFor(job))
        await transition(store, job, 'processing')

        const stale = await store.update(
          job.id,
          { status: 'processing', version: 1 },
          { status: 'completed', version: 2, updatedAt: new Date() },
        )

        expect(stale).toBeUndefined()
        expect(await store.get(job.id)).toMatchObject({
          status: 'processing',
          version: 2,
        })
      })

      it('rejects a write that expects the wrong status', async () => {
        const job = makeJob()
        await store.create(job, messageFor(job))

        const wrong = await store.update(
          job.id,
          { status: 'processing', version: 1 },
          { status: 'completed', version: 2, updatedAt: new Date() },
        )

        expect(wrong).toBeUndefined()
        expect((await store.get(job.id))?.status).toBe('queued')
      })

      it('lets only one of two racing writers win', async () => {
        const job = makeJob()
        await store.create(job, messageFor(job))

        const results = await Promise.all([
          transition(store, job, 'processing'),
          transition(store, job, 'canceled'),
        ])

        expect(results.filter((r) => r !== undefined)).toHaveLength(1)
      })

      it('returns undefined for an unknown job', async () => {
        const missing = await store.update(
          randomUUID(),
          { status: 'queued', version: 1 },
          { status: 'processing', version: 2, updatedAt: new Date() },
        )
        expect(missing).toBeUndefined()
      })
    })

    describe('nextInvoiceNumber', () => {
      const now = new Date('2026-06-01T12:00:00Z')

      it('formats the number with the year and six digits', async () => {
        const number = await store.nextInvoiceNumber(`o-${randomUUID()}`, now)
        expect(number).toMatch(/^INV-2026-\d{6}$/)
      })

      it('gives unique numbers to concurrent calls', async () => {
        const owner = `o-${randomUUID()}`

        const numbers = await Promise.all(
          Array.from({ length: 25 }, () => store.nextInvoiceNumber(owner, now)),
        )

        expect(new Set(numbers).size).toBe(25)
      })

      it('skips numbers a client already chose', async () => {
        const owner = `o-${randomUUID()}`
        const taken = ['INV-2026-000001', 'INV-2026-000002']
        for (const invoiceNumber of taken) {
          const job = makeJob({ owner, invoiceNumber })
          await store.create(job, messageFor(job))
        }

        const numbers = [
          await store.nextInvoiceNumber(owner, now),
          await store.nextInvoiceNumber(owner, now),
        ]

        for (const number of numbers) expect(taken).not.toContain(number)
        expect(numbers[0]).not.toBe(numbers[1])
      })
    })

    describe('dispatch tracking', () => {
      it('lists undispatched jobs until they are marked', async () => {
        // Far in the past, so jobs of other tests stay out of the window.
        const createdAt = new Date(Date.UTC(2001, 0, 1) + rand())
        const jobs = [0, 1, 2].map((i) =>
          makeJob({
            createdAt: new Date(createdAt.getTime() + i),
            updatedAt: createdAt,
          }),
        )
        const created = []
        for (const job of jobs) {
          created.push(await store.create(job, messageFor(job)))
        }
        const enqueued = created.every(
          (r) => r.outcome === 'created' && r.enqueued,
        )
        const before = new Date(createdAt.getTime() + 3)

        const pending = await store.findUndispatched(before, 100)

        const ids = (list: { id: string }[]) =>
          list.map((j) => j.id).filter((id) => jobs.some((j) => j.id === id))
        if (enqueued) {
          expect(ids(pending)).toEqual([])
          return
        }
        expect(ids(pending)).toEqual(jobs.map((j) => j.id))
        expect(await store.findUndispatched(before, 1)).toHaveLength(1)
        await store.markDispatched(jobs[0]!.id, new Date())
        expect(ids(await store.findUndispatched(before, 100))).toEqual(
          jobs.slice(1).map((j) => j.id),
        )
        expect((await store.get(jobs[0]!.id))?.dispatchedAt).toBeInstanceOf(
          Date,
        )
      })

      it('leaves out jobs created at or after the cut-off', async () => {
        const job = makeJob({ createdAt: new Date(Date.UTC(2002, 0, 1)) })
        await store.create(job, messageFor(job))

        const pending = await store.findUndispatched(job.createdAt, 100)

        expect(pending.map((j) => j.id)).not.toContain(job.id)
      })
    })

    describe('acquireLease', () => {
      it('gives a free lease to one holder at a time', async () => {
        const lease = `lease-${randomUUID()}`
        const until = new Date(Date.now() + 60_000)

        expect(await store.acquireLease(lease, 'a', until)).toBe(true)
        expect(await store.acquireLease(lease, 'b', until)).toBe(false)
        expect(await store.acquireLease(lease, 'a', until)).toBe(true)
      })

      it('lets another holder take an expired lease', async () => {
        const lease = `lease-${randomUUID()}`
        await store.acquireLease(lease, 'a', new Date(Date.now() - 1))

        expect(
          await store.acquireLease(lease, 'b', new Date(Date.now() + 60_000)),
        ).toBe(true)
        expect(
          await store.acquireLease(lease, 'a', new Date(Date.now() + 60_000)),
        ).toBe(false)
      })
    })

    describe('lifecycle', () => {
      it('passes its readiness check', async () => {
        await expect(store.check()).resolves.toBeUndefined()
      })

      it('can be closed twice', async () => {
        await store.close()
        await expect(store.close()).resolves.toBeUndefined()
      })
    })
  })
}

function rand(): number {
  return Math.floor(Math.random() * 86_400_000)
}
