import { afterEach, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { transition } from '@invoice-jobs/shared'
import { seedQueuedJob } from '../helpers/jobs.js'
import { createTestApp, type TestApp } from '../helpers/test-app.js'

describe('error handler', () => {
  let t: TestApp

  afterEach(async () => {
    await t.close()
  })

  it('answers an unexpected failure with a 500 that hides its cause', async () => {
    t = await createTestApp()
    // A completed job whose document is gone: a bug or lost data.
    const queued = await seedQueuedJob(t.adapters.store)
    const processing = await transition(t.adapters.store, queued, 'processing')
    await transition(t.adapters.store, processing!, 'completed', {
      result: {
        blobName: `invoices/${queued.id}-gone.pdf`,
        contentType: 'application/pdf',
        size: 10,
        etag: '"gone"',
        fileName: 'gone.pdf',
      },
    })

    const res = await t.app.inject({
      method: 'GET',
      url: `/jobs/${queued.id}/result`,
    })

    expect(res.statusCode).toBe(500)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toEqual({
      type: 'urn:invoice-jobs:problem:internal_error',
      title: 'Something went wrong on our side.',
      status: 500,
      code: 'internal_error',
      requestId: res.headers['x-request-id'],
    })
    const logged = t.logs.find((l) => l.msg === 'request failed')
    expect(logged).toMatchObject({ level: 50 })
    expect(JSON.stringify(logged)).toContain('-gone.pdf')
  })

  it('answers 503 without internals when the store throws', async () => {
    const secret = 'ECONNREFUSED 10.0.0.7:10255'
    t = await createTestApp({
      wrap: (ports) => ({
        ...ports,
        store: new Proxy(ports.store, {
          get(target, key) {
            if (key === 'get') {
              return async () => {
                throw new Error(secret)
              }
            }
            const value = Reflect.get(target, key) as unknown
            return typeof value === 'function' ? value.bind(target) : value
          },
        }),
      }),
    })

    const res = await t.app.inject({
      method: 'GET',
      url: `/jobs/${randomUUID()}/status`,
    })

    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ code: 'service_unavailable' })
    expect(res.body).not.toContain('ECONNREFUSED')
    const logged = t.logs.find((l) => l.msg === 'job store unavailable')
    expect(logged).toMatchObject({ level: 50 })
    expect(JSON.stringify(logged)).toContain('ECONNREFUSED')
  })
})
