import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { transition, type Problem } from '@invoice-jobs/shared'
import type { SqliteJobStore } from '@invoice-jobs/shared/embedded'
import { FaultyQueue } from '../../helpers/faulty-queue.js'
import { newJob } from '../../helpers/jobs.js'
import { openNonEnqueuingStore } from '../../helpers/split-store.js'
import { validInvoice } from '../../helpers/invoices.js'
import { drainQueue } from '../../helpers/queue.js'
import { createTestApp, type TestApp } from '../../helpers/test-app.js'

const json = { 'content-type': 'application/json' }

describe('POST /invoices', () => {
  let t: TestApp

  beforeEach(async () => {
    t = await createTestApp()
  })

  afterEach(async () => {
    await t.close()
  })

  it('returns 202 and a Location header', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/invoices',
      payload: validInvoice(),
    })

    expect(res.statusCode).toBe(202)
    const body = res.json()
    expect(body).toMatchObject({ status: 'queued' })
    expect(res.headers.location).toBe(`/jobs/${body.id}/status`)
    expect(body.links).toEqual({ status: `/jobs/${body.id}/status` })
    expect(res.headers['retry-after']).toBe(
      String(t.config.RETRY_AFTER_SECONDS),
    )
    expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt)
  })

  it('saves a queued job and queues one message naming it', async () => {
    const invoice = validInvoice()
    const res = await t.app.inject({
      method: 'POST',
      url: '/invoices',
      payload: invoice,
      headers: { 'x-request-id': 'req-saves-one' },
    })
    const { id } = res.json()

    const job = await t.adapters.store.get(id)
    expect(job).toMatchObject({
      status: 'queued',
      owner: 'anonymous',
      invoiceNumber: invoice.invoiceNumber,
      requestId: 'req-saves-one',
    })
    expect(job?.requestHash).toMatch(/^[0-9a-f]{64}$/)
    expect(await drainQueue(t.adapters.queue)).toEqual([
      expect.objectContaining({ jobId: id, requestId: 'req-saves-one' }),
    ])
  })

  it('numbers the invoice when the body has no number', async () => {
    const { invoiceNumber: _, ...invoice } = validInvoice()
    const res = await t.app.inject({
      method: 'POST',
      url: '/invoices',
      payload: invoice,
    })

    expect(res.statusCode).toBe(202)
    const job = await t.adapters.store.get(res.json().id)
    expect(job?.invoiceNumber).toMatch(/\S/)
    expect(job?.input.invoiceNumber).toBe(job?.invoiceNumber)
  })

  it('keeps a well-formed traceparent on the job and its message', async () => {
    const traceparent =
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
    const res = await t.app.inject({
      method: 'POST',
      url: '/invoices',
      payload: validInvoice(),
      headers: { traceparent },
    })

    const job = await t.adapters.store.get(res.json().id)
    expect(job?.traceparent).toBe(traceparent)
    const [message] = await drainQueue(t.adapters.queue)
    expect(message?.traceparent).toBe(traceparent)
  })

  it('ignores a malformed traceparent', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/invoices',
      payload: validInvoice(),
      headers: { traceparent: 'not a trace' },
    })

    expect(res.statusCode).toBe(202)
    const job = await t.adapters.store.get(res.json().id)
    expect(job?.traceparent).toBeUndefined()
  })

  it('returns 409 invoice_number_taken for a number already used', async () => {
    const invoice = validInvoice()
    const first = await t.app.inject({
      method: 'POST',
      url: '/invoices',
      payload: invoice,
    })
    const second = await t.app.inject({
      method: 'POST',
      url: '/invoices',
      payload: { ...invoice, notes: 'another body' },
    })

    expect(first.statusCode).toBe(202)
    expect(second.statusCode).toBe(409)
    expect(second.headers['content-type']).toMatch(
      /^application\/problem\+json/,
    )
    expect(second.json()).toMatchObject({ code: 'invoice_number_taken' })
    expect(await drainQueue(t.adapters.queue)).toHaveLength(1)
  })

  describe('with an Idempotency-Key', () => {
    it('answers a replay with the same job and queues nothing new', async () => {
      const key = `key-${randomUUID()}`
      const invoice = validInvoice()
      const send = (payload: unknown) =>
        t.app.inject({
          method: 'POST',
          url: '/invoices',
          payload: payload as object,
          headers: { 'idempotency-key': key },
        })

      const first = await send(invoice)
      // Same content, keys in another order: still the same request.
      const reordered = Object.fromEntries(Object.entries(invoice).reverse())
      const second = await send(reordered)

      expect(first.statusCode).toBe(202)
      expect(second.statusCode).toBe(202)
      expect(second.json().id).toBe(first.json().id)
      expect(second.headers.location).toBe(first.headers.location)
      expect(await drainQueue(t.adapters.queue)).toHaveLength(1)
    })

    it("reports the earlier job's current status on a replay", async () => {
      const headers = { 'idempotency-key': `key-${randomUUID()}` }
      const payload = validInvoice()
      const first = await t.app.inject({
        method: 'POST',
        url: '/invoices',
        payload,
        headers,
      })
      const job = await t.adapters.store.get(first.json().id)
      if (!job) throw new Error('the first submit saved no job')
      await transition(t.adapters.store, job, 'processing')

      const second = await t.app.inject({
        method: 'POST',
        url: '/invoices',
        payload,
        headers,
      })

      expect(first.json().status).toBe('queued')
      expect(second.json()).toMatchObject({ id: job.id, status: 'processing' })
    })

    it('replays a body without an invoice number to the same job', async () => {
      const { invoiceNumber: _, ...invoice } = validInvoice()
      const headers = { 'idempotency-key': `key-${randomUUID()}` }
      const send = () =>
        t.app.inject({
          method: 'POST',
          url: '/invoices',
          payload: invoice,
          headers,
        })

      const first = await send()
      const second = await send()

      expect(second.statusCode).toBe(202)
      expect(second.json().id).toBe(first.json().id)
      expect(await drainQueue(t.adapters.queue)).toHaveLength(1)
    })

    it('returns 409 idempotency_key_reused for another body', async () => {
      const key = `key-${randomUUID()}`
      const headers = { 'idempotency-key': key }
      const first = await t.app.inject({
        method: 'POST',
        url: '/invoices',
        payload: validInvoice(),
        headers,
      })
      const second = await t.app.inject({
        method: 'POST',
        url: '/invoices',
        payload: validInvoice(),
        headers,
      })

      expect(first.statusCode).toBe(202)
      expect(second.statusCode).toBe(409)
      expect(second.json()).toMatchObject({ code: 'idempotency_key_reused' })
      expect(await drainQueue(t.adapters.queue)).toHaveLength(1)
    })
  })

  describe('when the request is bad', () => {
    interface BadCase {
      name: string
      /** The request; built around the invoice number it must not use. */
      request: (invoiceNumber: string) => {
        payload: string
        headers?: Record<string, string>
      }
      status: number
      code: string
      field?: string
    }

    const body = (
      invoiceNumber: string,
      change: (invoice: Record<string, unknown>) => void,
    ) => {
      const invoice = validInvoice({ invoiceNumber }) as Record<string, unknown>
      change(invoice)
      return { payload: JSON.stringify(invoice), headers: json }
    }
    const item = (invoice: Record<string, unknown>) =>
      (invoice.items as Record<string, unknown>[])[0]!

    const cases: BadCase[] = [
      {
        name: 'a missing field',
        request: (n) => body(n, (i) => delete i.currency),
        status: 400,
        code: 'validation_failed',
        field: '/currency',
      },
      {
        name: 'a string where a number belongs',
        request: (n) => body(n, (i) => (item(i).quantity = 'two')),
        status: 400,
        code: 'validation_failed',
        field: '/items/0/quantity',
      },
      {
        name: 'a number where a string belongs',
        request: (n) => body(n, (i) => (item(i).unitPrice = 12.5)),
        status: 400,
        code: 'validation_failed',
        field: '/items/0/unitPrice',
      },
      {
        name: 'a negative quantity',
        request: (n) => body(n, (i) => (item(i).quantity = -3)),
        status: 400,
        code: 'validation_failed',
        field: '/items/0/quantity',
      },
      {
        name: 'an unknown currency',
        request: (n) => body(n, (i) => (i.currency = 'XXY')),
        status: 400,
        code: 'validation_failed',
        field: '/currency',
      },
      {
        name: 'too many decimals for the currency',
        request: (n) => body(n, (i) => (item(i).unitPrice = '10.125')),
        status: 400,
        code: 'validation_failed',
        field: '/items/0/unitPrice',
      },
      {
        name: 'a due date before the issue date',
        request: (n) => body(n, (i) => (i.dueDate = '2026-02-01')),
        status: 400,
        code: 'validation_failed',
        field: '/dueDate',
      },
      {
        name: '1001 items',
        request: (n) =>
          body(n, (i) => {
            i.items = Array.from({ length: 1001 }, () => ({
              description: 'Widget',
              quantity: 1,
              unitPrice: '1.00',
            }))
          }),
        status: 400,
        code: 'validation_failed',
        field: '/items',
      },
      {
        name: 'an unknown field',
        request: (n) => body(n, (i) => (i.discount = '5%')),
        status: 400,
        code: 'validation_failed',
        field: '/discount',
      },
      {
        name: 'an emoji the invoice font cannot draw',
        request: (n) =>
          body(n, (i) => ((i.customer as { name: string }).name = 'Ana 🦄')),
        status: 400,
        code: 'validation_failed',
        field: '/customer/name',
      },
      {
        name: 'an Idempotency-Key with a space',
        request: (n) => ({
          payload: JSON.stringify(validInvoice({ invoiceNumber: n })),
          headers: { ...json, 'idempotency-key': 'has a space' },
        }),
        status: 400,
        code: 'validation_failed',
        field: '/headers/idempotency-key',
      },
      {
        name: 'a body over the size limit',
        request: (n) => body(n, (i) => (i.notes = 'n'.repeat(2 * 1024 * 1024))),
        status: 413,
        code: 'payload_too_large',
      },
      {
        name: 'a text/plain content type',
        request: (n) => ({
          payload: JSON.stringify(validInvoice({ invoiceNumber: n })),
          headers: { 'content-type': 'text/plain' },
        }),
        status: 415,
        code: 'unsupported_media_type',
      },
      {
        name: 'malformed JSON',
        request: (n) => ({
          payload: `{"invoiceNumber":"${n}","currency":"EUR",`,
          headers: json,
        }),
        status: 400,
        code: 'malformed_json',
      },
    ]

    it.each(cases)(
      'answers $status $code for $name and saves nothing',
      async ({ request, status, code, field }) => {
        const invoiceNumber = `BAD-${randomUUID().slice(0, 8)}`
        const { payload, headers } = request(invoiceNumber)

        const res = await t.app.inject({
          method: 'POST',
          url: '/invoices',
          payload,
          ...(headers && { headers }),
        })

        expect(res.statusCode).toBe(status)
        expect(res.headers['content-type']).toMatch(
          /^application\/problem\+json/,
        )
        const problem = res.json<Problem>()
        expect(problem).toMatchObject({ status, code })
        expect(problem.requestId).toBe(res.headers['x-request-id'])
        if (field) {
          expect(problem.errors?.map((e) => e.field)).toContain(field)
        }

        // Nothing reached the queue, and the number is still free.
        expect(await drainQueue(t.adapters.queue)).toEqual([])
        const probe = newJob({ invoiceNumber })
        const created = await t.adapters.store.create(probe, {
          jobId: probe.id,
          type: 'invoice',
        })
        expect(created.outcome).toBe('created')
      },
    )

    it('lists every failing field at once', async () => {
      const invoice = validInvoice() as Record<string, unknown>
      delete invoice.issueDate
      const items = invoice.items as Record<string, unknown>[]
      items[0]!.quantity = 'one'
      items[1]!.unitPrice = -1

      const res = await t.app.inject({
        method: 'POST',
        url: '/invoices',
        payload: invoice,
      })

      const fields = res.json<Problem>().errors?.map((e) => e.field)
      expect(fields).toEqual(
        expect.arrayContaining([
          '/issueDate',
          '/items/0/quantity',
          '/items/1/unitPrice',
        ]),
      )
    })
  })
})

describe('POST /invoices when a backing service fails', () => {
  let t: TestApp | undefined

  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  it('returns 503 and queues nothing when the job store is down', async () => {
    t = await createTestApp()
    await t.adapters.store.close()

    const res = await t.app.inject({
      method: 'POST',
      url: '/invoices',
      payload: validInvoice(),
    })

    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ code: 'service_unavailable' })
    expect(await drainQueue(t.adapters.queue)).toEqual([])
  })

  it('still answers 202 when the send fails, and the relay sends it later', async () => {
    let queue: FaultyQueue | undefined
    let store: SqliteJobStore | undefined
    t = await createTestApp({
      env: { RELAY_INTERVAL_MS: '100', RELAY_AGE_MS: '0' },
      wrap: (ports, dir) => {
        queue = new FaultyQueue(ports.queue)
        store = openNonEnqueuingStore(dir)
        return { ...ports, queue, store }
      },
    })

    const res = await t.app.inject({
      method: 'POST',
      url: '/invoices',
      payload: validInvoice(),
    })
    expect(res.statusCode).toBe(202)
    const { id } = res.json()
    expect((await store!.get(id))?.dispatchedAt).toBeUndefined()

    queue!.failing = false
    const deadline = Date.now() + 5000
    while (!(await store!.get(id))?.dispatchedAt) {
      if (Date.now() > deadline) throw new Error('the relay never sent it')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(await drainQueue(t.adapters.queue)).toEqual([
      expect.objectContaining({ jobId: id }),
    ])
    await t.close()
    await store!.close()
  })
})
