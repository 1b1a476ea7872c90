import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { transition } from '@invoice-jobs/shared'
import {
  seedCompletedJob,
  seedFailedJob,
  seedQueuedJob,
} from '../../helpers/jobs.js'
import { createTestApp, type TestApp } from '../../helpers/test-app.js'

describe('GET /jobs/:id/status', () => {
  let t: TestApp

  beforeEach(async () => {
    t = await createTestApp()
  })

  afterEach(async () => {
    await t.close()
  })

  const getStatus = (id: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: `/jobs/${id}/status`, headers })

  it('returns a queued job with Retry-After, an ETag and no-cache', async () => {
    const job = await seedQueuedJob(t.adapters.store)

    const res = await getStatus(job.id)

    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      id: job.id,
      type: 'invoice',
      status: 'queued',
      invoiceNumber: job.invoiceNumber,
      createdAt: job.createdAt.toISOString(),
      updatedAt: job.updatedAt.toISOString(),
      attempts: 0,
      links: { status: `/jobs/${job.id}/status` },
    })
    expect(res.headers['retry-after']).toBe('1')
    expect(res.headers['cache-control']).toBe('no-cache')
    expect(res.headers.etag).toMatch(/^W\/".+"$/)
  })

  it('links the result of a completed job and drops Retry-After', async () => {
    const { job } = await seedCompletedJob(t.adapters.store, t.adapters.blobs)

    const res = await getStatus(job.id)

    const body = res.json()
    expect(body.status).toBe('completed')
    expect(body.result).toEqual({
      href: `/jobs/${job.id}/result`,
      contentType: 'application/pdf',
      size: job.result?.size,
    })
    expect(body.links.result).toBe(`/jobs/${job.id}/result`)
    expect(res.headers['retry-after']).toBeUndefined()
  })

  it('shows the error of a failed job', async () => {
    const job = await seedFailedJob(t.adapters.store)

    const res = await getStatus(job.id)

    expect(res.json()).toMatchObject({
      status: 'failed',
      error: { code: 'render_failed' },
    })
    expect(res.json().result).toBeUndefined()
  })

  it('answers 304 to If-None-Match with the current ETag', async () => {
    const job = await seedQueuedJob(t.adapters.store)
    const first = await getStatus(job.id)
    const etag = first.headers.etag as string

    const again = await getStatus(job.id, { 'if-none-match': etag })

    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
    expect(again.headers.etag).toBe(etag)
  })

  it('answers 200 with a new ETag once the job has changed', async () => {
    const job = await seedQueuedJob(t.adapters.store)
    const first = await getStatus(job.id)
    await transition(t.adapters.store, job, 'processing', { attempts: 1 })

    const again = await getStatus(job.id, {
      'if-none-match': first.headers.etag as string,
    })

    expect(again.statusCode).toBe(200)
    expect(again.json().status).toBe('processing')
    expect(again.headers.etag).not.toBe(first.headers.etag)
  })

  it('returns 404 job_not_found for an unknown id', async () => {
    const res = await getStatus(randomUUID())

    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ code: 'job_not_found' })
  })

  it('returns 400 naming the id when it is not a UUID', async () => {
    const res = await getStatus('not-a-uuid')

    expect(res.statusCode).toBe(400)
    expect(res.json().errors).toEqual([
      expect.objectContaining({ field: '/params/id' }),
    ])
  })
})
