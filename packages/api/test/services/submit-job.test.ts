import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '@invoice-jobs/shared'
import { createSubmitJob } from '../../src/services/submit-job.js'
import { FaultyQueue } from '../helpers/faulty-queue.js'
import { validInvoice } from '../helpers/invoices.js'
import { drainQueue } from '../helpers/queue.js'
import { openNonEnqueuingStore } from '../helpers/split-store.js'
import { createTestApp, type TestApp } from '../helpers/test-app.js'

describe('createSubmitJob', () => {
  let t: TestApp
  let store: ReturnType<typeof openNonEnqueuingStore>

  beforeEach(async () => {
    t = await createTestApp()
    store = openNonEnqueuingStore(t.dir)
  })

  afterEach(async () => {
    await store.close()
    await t.close()
  })

  describe('when the store does not enqueue', () => {
    it('sends the message with the request id and marks the job dispatched', async () => {
      const submit = createSubmitJob({
        store,
        queue: t.adapters.queue,
        logger: t.logger,
        clock: () => new Date(),
      })

      const { job } = await submit({
        body: validInvoice(),
        requestId: 'req-split-1',
      })

      expect((await store.get(job.id))?.dispatchedAt).toBeInstanceOf(Date)
      expect(
        await store.findUndispatched(new Date(Date.now() + 1), 10),
      ).toEqual([])
      expect(await drainQueue(t.adapters.queue)).toEqual([
        expect.objectContaining({ jobId: job.id, requestId: 'req-split-1' }),
      ])
    })

    it('keeps the job with its dispatch pending when the send fails', async () => {
      const queue = new FaultyQueue(t.adapters.queue)
      const submit = createSubmitJob({
        store,
        queue,
        logger: t.logger,
        clock: () => new Date(),
      })

      const { job, replayed } = await submit({
        body: validInvoice(),
        requestId: 'req-split-2',
      })

      expect(replayed).toBe(false)
      expect(queue.attempts).toBe(1)
      const saved = await store.get(job.id)
      expect(saved?.status).toBe('queued')
      expect(saved?.dispatchedAt).toBeUndefined()
      const pending = await store.findUndispatched(new Date(Date.now() + 1), 10)
      expect(pending.map((j) => j.id)).toEqual([job.id])
      expect(
        t.logs.find((l) => l.msg === 'dispatch deferred to the relay'),
      ).toMatchObject({ jobId: job.id })
    })
  })

  describe('when a client already took the next generated number', () => {
    it('tries the following number instead of answering 409', async () => {
      const submit = createSubmitJob({
        store: t.adapters.store,
        queue: t.adapters.queue,
        logger: t.logger,
        clock: () => new Date('2026-12-03T10:00:00Z'),
      })
      const { job: first } = await submit({
        body: validInvoice(),
        requestId: 'req-gen-1',
      })
      const next = first.invoiceNumber.replace(/\d+$/, (digits) =>
        String(Number(digits) + 1).padStart(digits.length, '0'),
      )
      await submit({
        body: { ...validInvoice(), invoiceNumber: next },
        requestId: 'req-chosen',
      })

      const { job } = await submit({
        body: validInvoice(),
        requestId: 'req-gen-2',
      })

      expect(job.invoiceNumber).not.toBe(next)
      expect(job.invoiceNumber).not.toBe(first.invoiceNumber)
    })
  })

  it('throws service_unavailable when the store cannot save', async () => {
    await store.close()
    const submit = createSubmitJob({
      store,
      queue: t.adapters.queue,
      logger: t.logger,
      clock: () => new Date(),
    })

    const attempt = submit({ body: validInvoice(), requestId: 'req-down' })

    await expect(attempt).rejects.toBeInstanceOf(AppError)
    await expect(attempt).rejects.toMatchObject({ code: 'service_unavailable' })
    expect(await drainQueue(t.adapters.queue)).toEqual([])
  })
})
