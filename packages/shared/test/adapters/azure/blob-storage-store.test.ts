import { randomUUID } from 'node:crypto'
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { setTimeout as sleep } from 'node:timers/promises'
import { BlobServiceClient } from '@azure/storage-blob'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAzureBlobStore } from '../../../src/adapters/azure/blob-storage-store.js'
import { createLogger } from '../../../src/logging/create-logger.js'
import type { BlobStore } from '../../../src/ports/blob-store.js'
import { startAzurite, type Azurite } from '../../support/azurite.js'

const logger = createLogger({ level: 'silent', pretty: false, name: 'test' })

describe('createAzureBlobStore on Azurite', () => {
  let azurite: Azurite
  let store: BlobStore
  let service: BlobServiceClient
  const containerName = `blobs-${randomUUID()}`

  beforeAll(async () => {
    azurite = await startAzurite()
    service = BlobServiceClient.fromConnectionString(azurite.connectionString)
    store = await createAzureBlobStore({
      connectionString: azurite.connectionString,
      containerName,
      ensureContainer: true,
      logger,
    })
  })

  afterAll(async () => {
    await store?.close()
    await azurite?.close()
  })

  const name = () => `${randomUUID()}.pdf`

  describe('at startup', () => {
    it('creates a private container when asked to ensure it', async () => {
      const container = service.getContainerClient(containerName)
      const properties = await container.getProperties()

      expect(properties.blobPublicAccess).toBeUndefined()
    })

    it('fails its check when the container is missing', async () => {
      const other = await createAzureBlobStore({
        connectionString: azurite.connectionString,
        containerName: `missing-${randomUUID()}`,
        ensureContainer: false,
        logger,
      })

      await expect(other.check()).rejects.toMatchObject({ statusCode: 404 })
      await other.close()
      await other.close()
    })

    it('rejects options with both an account URL and a connection string', async () => {
      await expect(
        createAzureBlobStore({
          accountUrl: azurite.accountUrl,
          connectionString: azurite.connectionString,
          containerName,
          ensureContainer: false,
          logger,
        }),
      ).rejects.toThrow(/exactly one of STORAGE_ACCOUNT_URL/)
    })
  })

  describe('put', () => {
    it('stores content type and metadata on the blob', async () => {
      const blob = name()
      const info = await store.put(blob, new TextEncoder().encode('%PDF-1'), {
        contentType: 'application/pdf',
        metadata: { jobId: 'job-1' },
      })

      const client = service.getContainerClient(containerName)
      const properties = await client.getBlobClient(blob).getProperties()
      expect(properties.contentType).toBe('application/pdf')
      expect(properties.metadata).toEqual({ jobid: 'job-1' })
      expect(info).toEqual({
        etag: properties.etag,
        size: 6,
        contentType: 'application/pdf',
      })
    })

    it('uploads a stream in blocks and reports its size', async () => {
      const blob = name()
      const block = Buffer.alloc(700 * 1024, 'a')
      const body = Readable.from([block, block, block])

      const info = await store.put(blob, body, { contentType: 'text/plain' })

      expect(info.size).toBe(3 * block.length)
      const read = await store.get(blob)
      expect((await text(read!.stream)).length).toBe(3 * block.length)
    })

    it('rejects when the source stream fails', async () => {
      const body = new Readable({
        read() {
          this.destroy(new Error('source broke'))
        },
      })

      await expect(
        store.put(name(), body, { contentType: 'text/plain' }),
      ).rejects.toThrow('source broke')
    })
  })

  describe('get', () => {
    it('returns undefined for a missing blob', async () => {
      expect(await store.get(name())).toBeUndefined()
    })

    it('streams the whole blob with its size and etag', async () => {
      const blob = name()
      const info = await store.put(blob, Readable.from(['hello world']), {
        contentType: 'text/plain',
      })

      const read = await store.get(blob)

      expect(read).toMatchObject({
        etag: info.etag,
        size: 11,
        contentLength: 11,
        contentType: 'text/plain',
      })
      expect(read?.range).toBeUndefined()
      expect(await text(read!.stream)).toBe('hello world')
    })

    it('serves an inclusive range and the total size', async () => {
      const blob = name()
      await store.put(blob, Buffer.from('0123456789'), {
        contentType: 'text/plain',
      })

      const read = await store.get(blob, { range: { start: 2, end: 5 } })

      expect(read).toMatchObject({
        size: 10,
        contentLength: 4,
        range: { start: 2, end: 5 },
      })
      expect(await text(read!.stream)).toBe('2345')
    })

    it('sends one request per read', async () => {
      const blob = name()
      await store.put(blob, Buffer.from('abc'), { contentType: 'text/plain' })
      const requests = await throughProxy(async (viaProxy) => {
        const read = await viaProxy.get(blob, { range: { start: 1, end: 1 } })
        expect(await text(read!.stream)).toBe('b')
        expect(await viaProxy.get(name())).toBeUndefined()
      })

      expect(requests).toEqual(['GET', 'GET'])
    })

    it('fails the stream when the connection drops mid-body', async () => {
      const blob = name()
      await store.put(blob, Buffer.alloc(64 * 1024, 'z'), {
        contentType: 'text/plain',
      })

      await throughProxy(
        async (viaProxy) => {
          const read = await viaProxy.get(blob)
          expect(read?.contentLength).toBe(64 * 1024)
          await expect(text(read!.stream)).rejects.toThrow()
        },
        { cutBodies: true },
      )
    })
  })

  describe('signedUrl', () => {
    it('gives a read-only URL that names the download', async () => {
      const blob = name()
      await store.put(blob, Buffer.from('%PDF-signed'), {
        contentType: 'application/pdf',
      })

      const url = await store.signedUrl!(blob, {
        expiresInSeconds: 60,
        fileName: 'invoice-ü 1.pdf',
        contentType: 'application/pdf',
      })
      const response = await fetch(url)
      const write = await fetch(url, {
        method: 'PUT',
        headers: { 'x-ms-blob-type': 'BlockBlob' },
        body: 'x',
      })

      expect(response.status).toBe(200)
      expect(await response.text()).toBe('%PDF-signed')
      expect(response.headers.get('content-type')).toBe('application/pdf')
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="invoice-_ 1.pdf"; filename*=UTF-8''invoice-%C3%BC%201.pdf`,
      )
      expect(write.status).toBe(403)
    })

    it('stops working once it expires', async () => {
      const blob = name()
      await store.put(blob, Buffer.from('soon gone'), {
        contentType: 'text/plain',
      })
      const url = await store.signedUrl!(blob, {
        expiresInSeconds: 3,
        fileName: 'gone.txt',
        contentType: 'text/plain',
      })

      const before = await fetch(url)
      await before.arrayBuffer()
      // The SAS expiry is cut to whole seconds, so it lapses 2-3 s from now.
      await sleep(3_100)
      const after = await fetch(url)

      expect(before.status).toBe(200)
      expect(after.status).toBe(403)
    })
  })

  /**
   * Runs `act` against a second store whose requests pass through a
   * recording proxy, and returns the methods Azurite was sent. With
   * `cutBodies` the proxy drops the connection after a body's first byte.
   */
  async function throughProxy(
    act: (store: BlobStore) => Promise<void>,
    { cutBodies = false } = {},
  ) {
    const target = new URL(azurite.accountUrl)
    const methods: string[] = []
    const proxy = createServer((req, res) => {
      methods.push(req.method ?? '?')
      const forward = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (upstream) => {
          res.writeHead(upstream.statusCode ?? 502, upstream.headers)
          if (!cutBodies) return upstream.pipe(res)

          upstream.once('data', (chunk: Buffer) => {
            upstream.destroy()
            // Let the client see the status line before the cut.
            res.write(chunk.subarray(0, 1), () =>
              setTimeout(() => res.socket?.destroy(), 20),
            )
          })
        },
      )
      req.pipe(forward)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const { port } = proxy.address() as AddressInfo

    try {
      const viaProxy = await createAzureBlobStore({
        connectionString: azurite.connectionString.replace(
          target.origin,
          `http://127.0.0.1:${port}`,
        ),
        containerName,
        ensureContainer: false,
        logger,
      })
      await act(viaProxy)
      await viaProxy.close()
      return methods
    } finally {
      proxy.closeAllConnections()
      await new Promise((resolve) => proxy.close(resolve))
    }
  }
})
