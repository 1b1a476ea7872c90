import { afterEach, describe, expect, it } from 'vitest'
import { createHealthServer, type HealthServer } from '../src/health-server.js'
import { createHarness, type Harness } from './support/worker-harness.js'

describe('health server', () => {
  let harness: Harness
  let server: HealthServer
  let started: boolean
  let base: string

  afterEach(async () => {
    await server.close()
    await harness.close()
  })

  async function listen(): Promise<void> {
    harness = await createHarness()
    const { store, queue, blobs } = harness.adapters
    started = false
    server = createHealthServer({
      host: '127.0.0.1',
      port: 0,
      logger: harness.logger,
      isStarted: () => started,
      checks: {
        store: () => store.check(),
        queue: () => queue.check(),
        blobs: () => blobs.check(),
      },
    })
    const port = await server.listen()
    base = `http://127.0.0.1:${port}`
  }

  describe('GET /health/live', () => {
    it('returns 200 on a port chosen by the system', async () => {
      await listen()

      const res = await fetch(`${base}/health/live`)

      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ status: 'ok' })
      expect(base).not.toMatch(/:0$/)
    })
  })

  describe('GET /health/ready', () => {
    it('returns 503 before the worker has started', async () => {
      await listen()

      const res = await fetch(`${base}/health/ready`)

      expect(res.status).toBe(503)
      expect(await res.json()).toMatchObject({ started: false })
    })

    it('returns 200 when started and every check passes', async () => {
      await listen()
      started = true

      const res = await fetch(`${base}/health/ready`)

      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/application\/json/)
      expect(await res.json()).toEqual({
        status: 'ok',
        started: true,
        checks: { store: 'ok', queue: 'ok', blobs: 'ok' },
      })
    })

    it('returns 503 naming the check that fails', async () => {
      await listen()
      started = true
      await harness.adapters.queue.close()

      const res = await fetch(`${base}/health/ready`)

      expect(res.status).toBe(503)
      expect(await res.json()).toMatchObject({
        status: 'unavailable',
        checks: { store: 'ok', queue: 'failed', blobs: 'ok' },
      })
    })
  })

  it('answers 404 for other paths', async () => {
    await listen()

    const res = await fetch(`${base}/health`)

    expect(res.status).toBe(404)
  })

  it('closes safely twice', async () => {
    await listen()

    await Promise.all([server.close(), server.close()])

    await expect(fetch(`${base}/health/live`)).rejects.toThrow()
  })
})
