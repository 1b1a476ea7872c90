import { randomUUID } from 'node:crypto'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { parse as parseDisposition } from 'content-disposition'
import type { BlobStore } from '@invoice-jobs/shared'
import {
  seedCompletedJob,
  seedFailedJob,
  seedQueuedJob,
} from '../../helpers/jobs.js'
import {
  createTestApp,
  type TestApp,
  type TestAppOptions,
} from '../../helpers/test-app.js'

/** A document big enough to span several stream chunks. */
function documentBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = i % 251
  return bytes
}

/**
 * Fault injector around the real filesystem store: the stream it hands
 * out passes `failAfter` bytes, then errors as a broken disk would.
 */
function failingMidStream(blobs: BlobStore, failAfter: number): BlobStore {
  return {
    put: (...args) => blobs.put(...args),
    check: () => blobs.check(),
    close: () => blobs.close(),
    async get(name, options) {
      const read = await blobs.get(name, options)
      if (!read) return read
      const out = new PassThrough()
      let passed = 0
      read.stream.on('data', (chunk: Buffer) => {
        if (passed + chunk.length < failAfter) {
          passed += chunk.length
          out.write(chunk)
          return
        }
        out.write(chunk.subarray(0, failAfter - passed))
        read.stream.destroy()
        out.destroy(new Error('disk read failed'))
      })
      return { ...read, stream: out }
    },
  }
}

describe('GET /jobs/:id/result', () => {
  let t: TestApp

  async function start(options: TestAppOptions = {}) {
    t = await createTestApp(options)
    return t
  }

  afterEach(async () => {
    await t.close()
  })

  const getResult = (id: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: `/jobs/${id}/result`, headers })

  it('streams the PDF with its headers', async () => {
    await start()
    const bytes = documentBytes(200_000)
    const { job } = await seedCompletedJob(t.adapters.store, t.adapters.blobs, {
      bytes,
    })

    const res = await getResult(job.id)

    expect(res.statusCode).toBe(200)
    expect(Buffer.compare(res.rawPayload, Buffer.from(bytes))).toBe(0)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['content-length']).toBe(String(bytes.length))
    expect(res.headers.etag).toBe(job.result?.etag)
    expect(res.headers['accept-ranges']).toBe('bytes')
    expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/)
    expect(
      parseDisposition(res.headers['content-disposition'] as string),
    ).toMatchObject({
      type: 'attachment',
      parameters: { filename: `${job.invoiceNumber}.pdf` },
    })
  })

  it('names a non-ASCII invoice number in filename* with an ASCII fallback', async () => {
    await start()
    const invoiceNumber = `Rechnung-Größe-№${randomUUID().slice(0, 4)}`
    const { job } = await seedCompletedJob(t.adapters.store, t.adapters.blobs, {
      invoiceNumber,
    })

    const res = await getResult(job.id)

    const header = res.headers['content-disposition'] as string
    expect(header).toMatch(/^attachment; /)
    // Headers must stay ASCII; the real name travels percent-encoded.
    expect(header).toMatch(/^[\x20-\x7e]+$/)
    expect(header).toContain(
      `filename*=UTF-8''${encodeURIComponent(`${invoiceNumber}.pdf`)}`,
    )
    const fallback = /filename="([^"]+)"/.exec(header)?.[1]
    expect(fallback).toMatch(/^Rechnung-Gr.+e-.+\.pdf$/)
    expect(parseDisposition(header).parameters.filename).toBe(
      `${invoiceNumber}.pdf`,
    )
    expect(res.statusCode).toBe(200)
  })

  it('answers 304 to If-None-Match with the blob ETag', async () => {
    await start()
    const { job } = await seedCompletedJob(t.adapters.store, t.adapters.blobs)

    const res = await getResult(job.id, {
      'if-none-match': job.result!.etag,
    })

    expect(res.statusCode).toBe(304)
    expect(res.body).toBe('')
  })

  describe('HEAD', () => {
    it('answers the headers from the job without reading the blob', async () => {
      let reads = 0
      await start({
        wrap: (p) => ({
          ...p,
          blobs: {
            ...p.blobs,
            get: (...args) => (reads++, p.blobs.get(...args)),
          },
        }),
      })
      const bytes = documentBytes(50_000)
      const { job } = await seedCompletedJob(
        t.adapters.store,
        t.adapters.blobs,
        {
          bytes,
        },
      )

      const whole = await t.app.inject({
        method: 'HEAD',
        url: `/jobs/${job.id}/result`,
      })
      const part = await t.app.inject({
        method: 'HEAD',
        url: `/jobs/${job.id}/result`,
        headers: { range: 'bytes=100-199' },
      })

      expect(whole.statusCode).toBe(200)
      expect(whole.headers['content-length']).toBe(String(bytes.length))
      expect(whole.headers.etag).toBe(job.result?.etag)
      expect(whole.body).toBe('')
      expect(part.statusCode).toBe(206)
      expect(part.headers['content-range']).toBe(
        `bytes 100-199/${bytes.length}`,
      )
      expect(reads).toBe(0)
    })
  })

  describe('with a Range header', () => {
    const size = 10_000
    const cases = [
      { range: 'bytes=0-99', start: 0, end: 99 },
      { range: 'bytes=9990-', start: 9990, end: 9999 },
      { range: 'bytes=-500', start: 9500, end: 9999 },
      { range: 'bytes=9000-20000', start: 9000, end: 9999 },
    ]

    it.each(cases)(
      'answers 206 with $range',
      async ({ range, start: first, end }) => {
        await start()
        const bytes = documentBytes(size)
        const { job } = await seedCompletedJob(
          t.adapters.store,
          t.adapters.blobs,
          { bytes },
        )

        const res = await getResult(job.id, { range })

        expect(res.statusCode).toBe(206)
        expect(res.headers['content-range']).toBe(
          `bytes ${first}-${end}/${size}`,
        )
        expect(res.headers['content-length']).toBe(String(end - first + 1))
        const expected = Buffer.from(bytes.subarray(first, end + 1))
        expect(Buffer.compare(res.rawPayload, expected)).toBe(0)
      },
    )

    it('answers 416 with the size when the range starts past the end', async () => {
      await start()
      const { job } = await seedCompletedJob(
        t.adapters.store,
        t.adapters.blobs,
        { bytes: documentBytes(size) },
      )

      const res = await getResult(job.id, { range: `bytes=${size}-` })

      expect(res.statusCode).toBe(416)
      expect(res.headers['content-range']).toBe(`bytes */${size}`)
      expect(res.json()).toMatchObject({ code: 'range_not_satisfiable' })
    })

    it('answers several ranges with the whole document', async () => {
      await start()
      const { job } = await seedCompletedJob(
        t.adapters.store,
        t.adapters.blobs,
        { bytes: documentBytes(size) },
      )

      const res = await getResult(job.id, { range: 'bytes=0-9,20-29' })

      expect(res.statusCode).toBe(200)
      expect(res.rawPayload.length).toBe(size)
    })

    it('honours If-Range with the current ETag', async () => {
      await start()
      const { job } = await seedCompletedJob(
        t.adapters.store,
        t.adapters.blobs,
        { bytes: documentBytes(size) },
      )

      const res = await getResult(job.id, {
        range: 'bytes=0-9',
        'if-range': job.result!.etag,
      })

      expect(res.statusCode).toBe(206)
      expect(res.rawPayload.length).toBe(10)
    })

    it('sends the whole document when If-Range names another version', async () => {
      await start()
      const { job } = await seedCompletedJob(
        t.adapters.store,
        t.adapters.blobs,
        { bytes: documentBytes(size) },
      )

      const res = await getResult(job.id, {
        range: 'bytes=0-9',
        'if-range': '"an-older-version"',
      })

      expect(res.statusCode).toBe(200)
      expect(res.rawPayload.length).toBe(size)
    })
  })

  it('returns 409 job_not_completed with Retry-After while queued', async () => {
    await start()
    const job = await seedQueuedJob(t.adapters.store)

    const res = await getResult(job.id)

    expect(res.statusCode).toBe(409)
    expect(res.headers['retry-after']).toBe('1')
    expect(res.json()).toMatchObject({
      code: 'job_not_completed',
      jobStatus: 'queued',
    })
  })

  it('returns 409 job_failed for a failed job', async () => {
    await start()
    const job = await seedFailedJob(t.adapters.store)

    const res = await getResult(job.id)

    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({
      code: 'job_failed',
      jobStatus: 'failed',
    })
  })

  it('returns 404 job_not_found for an unknown id', async () => {
    await start()

    const res = await getResult(randomUUID())

    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ code: 'job_not_found' })
  })

  it('redirects with 303 when delivery is redirect and URLs can be signed', async () => {
    await start({
      env: { RESULT_DELIVERY: 'redirect' },
      wrap: (ports) => ({
        ...ports,
        blobs: {
          put: (...args) => ports.blobs.put(...args),
          get: (...args) => ports.blobs.get(...args),
          check: () => ports.blobs.check(),
          close: () => ports.blobs.close(),
          signedUrl: async (name, options) =>
            `https://blobs.test/${name}?ttl=${options.expiresInSeconds}`,
        },
      }),
    })
    const { job } = await seedCompletedJob(t.adapters.store, t.adapters.blobs)

    const res = await getResult(job.id)

    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(
      `https://blobs.test/${job.result!.blobName}?ttl=${t.config.SAS_TTL_SECONDS}`,
    )
  })

  it('streams anyway in redirect mode when the store cannot sign URLs', async () => {
    await start({ env: { RESULT_DELIVERY: 'redirect' } })
    const { job } = await seedCompletedJob(t.adapters.store, t.adapters.blobs)

    const res = await getResult(job.id)

    expect(res.statusCode).toBe(200)
  })

  describe('when storage fails mid-stream', () => {
    it('cuts the response short, logs the job id and keeps serving', async () => {
      await start({
        wrap: (p) => ({ ...p, blobs: failingMidStream(p.blobs, 70_000) }),
      })
      const size = 300_000
      const { job } = await seedCompletedJob(
        t.adapters.store,
        t.adapters.blobs,
        { bytes: documentBytes(size) },
      )
      const address = await t.app.listen({ host: '127.0.0.1', port: 0 })

      const res = await fetch(`${address}/jobs/${job.id}/result`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-length')).toBe(String(size))
      // The client sees a broken body, not a short one passed off as whole.
      await expect(res.arrayBuffer()).rejects.toThrow()

      const logged = t.logs.find((l) => l.msg === 'result stream failed')
      expect(logged).toMatchObject({ level: 50, jobId: job.id })

      const health = await fetch(`${address}/health/live`)
      expect(health.status).toBe(200)
    })
  })
})
