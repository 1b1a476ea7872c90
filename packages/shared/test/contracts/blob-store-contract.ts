import { createHash, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BlobStore } from '../../src/ports/blob-store.js'

export interface BlobStoreFixture {
  blobs: BlobStore
  cleanup(): Promise<void>
}

/**
 * Declares what every BlobStore adapter must do, through the port only.
 * Blob names carry a random prefix, so a container may be shared.
 */
export function describeBlobStoreContract(
  name: string,
  setup: () => Promise<BlobStoreFixture>,
): void {
  describe(`BlobStore contract: ${name}`, () => {
    let fixture: BlobStoreFixture
    let blobs: BlobStore
    let prefix: string

    beforeEach(async () => {
      fixture = await setup()
      blobs = fixture.blobs
      prefix = `test-${randomUUID()}`
    })
    afterEach(async () => {
      await fixture.cleanup()
    })

    it('returns what was put, with its content type and ETag', async () => {
      const body = Buffer.from('%PDF-1.7 hello')

      const info = await blobs.put(`${prefix}/a.pdf`, body, {
        contentType: 'application/pdf',
        metadata: { jobId: 'j1' },
      })
      const read = await blobs.get(`${prefix}/a.pdf`)

      expect(info).toMatchObject({
        size: body.length,
        contentType: 'application/pdf',
      })
      expect(info.etag).toMatch(/^(W\/)?".+"$/)
      expect(read).toMatchObject({
        etag: info.etag,
        size: body.length,
        contentLength: body.length,
        contentType: 'application/pdf',
      })
      expect(read?.range).toBeUndefined()
      expect(await readAll(read!.stream)).toEqual(body)
    })

    it('streams only the requested inclusive byte range', async () => {
      const body = Buffer.from('0123456789abcdef')
      await blobs.put(`${prefix}.bin`, body, { contentType: 'text/plain' })

      const middle = await blobs.get(`${prefix}.bin`, {
        range: { start: 3, end: 7 },
      })
      const last = await blobs.get(`${prefix}.bin`, {
        range: { start: 15, end: 15 },
      })

      expect(middle).toMatchObject({
        size: 16,
        contentLength: 5,
        range: { start: 3, end: 7 },
      })
      expect((await readAll(middle!.stream)).toString()).toBe('34567')
      expect((await readAll(last!.stream)).toString()).toBe('f')
    })

    it('returns undefined for a blob that does not exist', async () => {
      expect(await blobs.get(`${prefix}/missing.pdf`)).toBeUndefined()
    })

    it('replaces an earlier blob with the same name', async () => {
      const first = await blobs.put(`${prefix}.txt`, Buffer.from('old'), {
        contentType: 'text/plain',
      })

      const second = await blobs.put(`${prefix}.txt`, Buffer.from('newer'), {
        contentType: 'application/pdf',
      })
      const read = await blobs.get(`${prefix}.txt`)

      expect(second.etag).not.toBe(first.etag)
      expect(read).toMatchObject({
        etag: second.etag,
        size: 5,
        contentType: 'application/pdf',
      })
      expect((await readAll(read!.stream)).toString()).toBe('newer')
    })

    it('stores a large streamed body intact', async () => {
      const chunk = 64 * 1024
      const chunks = 96 // 6 MiB
      const written = createHash('sha256')
      const source = Readable.from(
        (function* () {
          for (let i = 0; i < chunks; i++) {
            const part = Buffer.alloc(chunk, i % 251)
            part.writeUInt32BE(i, 0)
            written.update(part)
            yield part
          }
        })(),
      )

      const info = await blobs.put(`${prefix}/large.bin`, source, {
        contentType: 'application/octet-stream',
      })
      const read = await blobs.get(`${prefix}/large.bin`)

      const seen = createHash('sha256')
      let size = 0
      for await (const part of read!.stream) {
        seen.update(part as Buffer)
        size += (part as Buffer).length
      }
      expect(info.size).toBe(chunk * chunks)
      expect(size).toBe(chunk * chunks)
      expect(seen.digest('hex')).toBe(written.digest('hex'))
    })

    it('stores an empty body', async () => {
      await blobs.put(`${prefix}.empty`, Buffer.alloc(0), {
        contentType: 'text/plain',
      })

      const read = await blobs.get(`${prefix}.empty`)

      expect(read).toMatchObject({ size: 0, contentLength: 0 })
      expect(await readAll(read!.stream)).toHaveLength(0)
    })

    it('passes its readiness check and can be closed twice', async () => {
      await expect(blobs.check()).resolves.toBeUndefined()
      await blobs.close()
      await expect(blobs.close()).resolves.toBeUndefined()
    })
  })
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const part of stream) parts.push(part as Buffer)
  return Buffer.concat(parts)
}
