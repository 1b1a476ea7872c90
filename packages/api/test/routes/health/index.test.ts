import { afterEach, describe, expect, it } from 'vitest'
import type { BlobStore } from '@invoice-jobs/shared'
import { createTestApp, type TestApp } from '../../helpers/test-app.js'

/** The real blob store, except that its check answers as given. */
function withCheck(blobs: BlobStore, check: () => Promise<void>): BlobStore {
  return {
    put: (...args) => blobs.put(...args),
    get: (...args) => blobs.get(...args),
    close: () => blobs.close(),
    check,
  }
}

describe('health routes', () => {
  let t: TestApp

  afterEach(async () => {
    await t.close()
  })

  describe('GET /health/live', () => {
    it('returns 200 even when a dependency is down', async () => {
      t = await createTestApp()
      await t.adapters.store.close()

      const res = await t.app.inject({ method: 'GET', url: '/health/live' })

      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ status: 'ok' })
    })
  })

  describe('GET /health/ready', () => {
    it('returns 200 when store, queue and blobs answer', async () => {
      t = await createTestApp()

      const res = await t.app.inject({ method: 'GET', url: '/health/ready' })

      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({
        status: 'ready',
        checks: { store: 'ok', queue: 'ok', blobs: 'ok' },
      })
    })

    it('returns 503 naming the store when it is closed', async () => {
      t = await createTestApp()
      await t.adapters.store.close()

      const res = await t.app.inject({ method: 'GET', url: '/health/ready' })

      expect(res.statusCode).toBe(503)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      const problem = res.json()
      expect(problem).toMatchObject({ code: 'service_unavailable' })
      expect(problem.detail).toBe('Not ready: store')
    })

    it('returns 503 naming blobs when their check fails, without internals', async () => {
      const secret = 'EACCES /var/secret/path'
      t = await createTestApp({
        wrap: (ports) => ({
          ...ports,
          blobs: withCheck(ports.blobs, async () => {
            throw new Error(secret)
          }),
        }),
      })

      const res = await t.app.inject({ method: 'GET', url: '/health/ready' })

      expect(res.statusCode).toBe(503)
      expect(res.json().detail).toBe('Not ready: blobs')
      expect(res.body).not.toContain('secret')
      expect(t.logs.find((l) => l.msg === 'not ready')).toMatchObject({
        dependency: 'blobs',
      })
    })

    it('returns 503 when a check hangs past the timeout', async () => {
      t = await createTestApp({
        env: { READY_TIMEOUT_MS: '200' },
        wrap: (ports) => ({
          ...ports,
          blobs: withCheck(ports.blobs, () => new Promise(() => {})),
        }),
      })

      const started = Date.now()
      const res = await t.app.inject({ method: 'GET', url: '/health/ready' })

      expect(res.statusCode).toBe(503)
      expect(res.json().detail).toBe('Not ready: blobs')
      expect(Date.now() - started).toBeLessThan(2000)
    })
  })
})
