import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError, type JobStore } from '@invoice-jobs/shared'
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

  describe('when a client takes a generated number before it is saved', () => {
    it('tries the following number instead of answering 409', async () => {
      const { invoiceNumber: _, ...unnumbered } = validInvoice()
      const taken = `RACE-${randomUUID().slice(0, 8)}`
      const submit = createSubmitJob({
        store: handingOutFirst(taken, t.adapters.store),
        queue: t.adapters.queue,
        logger: t.logger,
        clock: () => new Date('2026-12-03T10:00:00Z'),
      })
      await submit({
        body: { ...unnumbered, invoiceNumber: taken },
        requestId: 'req-chosen',
      })

      const { job } = await submit({ body: unnumbered, requestId: 'req-gen' })

      expect(job.invoiceNumber).toMatch(/^INV-2026-\d+$/)
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

/**
 * The real store, except that its first generated invoice number is
 * `number`: what a client racing the submit would have taken.
 */
function handingOutFirst(number: string, store: JobStore): JobStore {
  let handedOut = false
  return new Proxy(store, {
    get(target, property) {
      if (property === 'nextInvoiceNumber' && !handedOut) {
        handedOut = true
        return async () => number
      }
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
