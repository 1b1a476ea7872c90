import { PassThrough, Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  BlobServiceClient,
  isRestError,
  type BlockBlobUploadOptions,
} from '@azure/storage-blob'
import type { TokenCredential } from '@azure/identity'
import type { Logger } from '../../logging/create-logger.js'
import type {
  BlobInfo,
  BlobRead,
  BlobStore,
  BlobWriteOptions,
  ByteRange,
} from '../../ports/blob-store.js'
import { createBlobSigner } from './blob-sas.js'
import { azureCredential } from './credential.js'

export interface AzureBlobStoreOptions {
  /** e.g. https://acct.blob.core.windows.net; used with managed identity. */
  accountUrl?: string
  /** Emulator only (Azurite): carries the well-known development key. */
  connectionString?: string
  containerName: string
  /** Client id of a user-assigned managed identity. */
  clientId?: string
  /**
   * Signs in with this instead of the process's managed identity (used
   * with `accountUrl` only).
   * @defaultValue azureCredential(clientId)
   */
  credential?: TokenCredential
  /**
   * Service version a SAS is signed for. Only for emulators that lag the
   * SDK (Azurite 3.35 checks signatures up to 2025-11-05).
   * @defaultValue the SDK's own version
   */
  sasVersion?: string
  /** Create the container (private) at startup when it is missing. */
  ensureContainer: boolean
  logger: Logger
}

// Invoices are small; a 1 MiB block with two blocks in flight keeps the
// memory of one upload under a few MiB while large bodies still stream.
const UPLOAD_BUFFER_BYTES = 1024 * 1024
const UPLOAD_CONCURRENCY = 2

/**
 * The BlobStore on Azure Blob Storage (or Azurite). One client per process;
 * the container is ensured once, when the store is created, never per job.
 */
export async function createAzureBlobStore(
  options: AzureBlobStoreOptions,
): Promise<BlobStore> {
  const service = createServiceClient(options)
  const container = service.getContainerClient(options.containerName)
  const log = options.logger.child({ container: options.containerName })

  if (options.ensureContainer) {
    const created = await container.createIfNotExists()
    log.info({ created: created.succeeded }, 'blob container ensured')
  }

  const signer = createBlobSigner(service, options, log)

  return {
    async put(name, body, write) {
      const blob = container.getBlockBlobClient(name)
      const upload: BlockBlobUploadOptions = uploadOptions(write)

      if (body instanceof Uint8Array) {
        const bytes = Buffer.from(body.buffer, body.byteOffset, body.length)
        const response = await blob.uploadData(bytes, upload)
        return info(response.etag, body.length, write.contentType)
      }

      let size = 0
      const counter = new PassThrough()
      counter.on('data', (chunk: Buffer) => (size += chunk.length))
      // A failed upload stops reading, so the pipeline must fail with it.
      const uploading = blob
        .uploadStream(counter, UPLOAD_BUFFER_BYTES, UPLOAD_CONCURRENCY, upload)
        .catch((err: unknown) => {
          counter.destroy(err as Error)
          throw err
        })
      const [response] = await Promise.all([uploading, pipeline(body, counter)])
      return info(response.etag, size, write.contentType)
    },

    async get(name, read) {
      const range = read?.range
      const blob = container.getBlobClient(name)
      try {
        const response = range
          ? await blob.download(range.start, range.end - range.start + 1)
          : await blob.download()

        const length = response.contentLength ?? 0
        const result: BlobRead = {
          stream: response.readableStreamBody as Readable,
          etag: response.etag ?? '',
          contentType: response.contentType ?? 'application/octet-stream',
          contentLength: length,
          size: range ? totalSize(response.contentRange, length) : length,
        }
        if (range) result.range = servedRange(response.contentRange, range)
        return result
      } catch (err) {
        if (isRestError(err) && err.code === 'BlobNotFound') return undefined
        throw err
      }
    },

    async signedUrl(name, signed) {
      return signer.sign(name, signed)
    },

    async check() {
      await container.getProperties()
    },

    async close() {
      // The SDK keeps no sockets that need closing; forget the signing key.
      signer.forget()
    },
  }
}

function createServiceClient(options: AzureBlobStoreOptions) {
  const { accountUrl, connectionString } = options
  if (Boolean(accountUrl) === Boolean(connectionString)) {
    throw new Error(
      'Azure blob store: set exactly one of STORAGE_ACCOUNT_URL and ' +
        'STORAGE_CONNECTION_STRING (the latter for Azurite only)',
    )
  }
  if (connectionString) {
    return BlobServiceClient.fromConnectionString(connectionString)
  }
  const credential = options.credential ?? azureCredential(options.clientId)
  return new BlobServiceClient(accountUrl!, credential)
}

function uploadOptions(write: BlobWriteOptions): BlockBlobUploadOptions {
  return {
    blobHTTPHeaders: { blobContentType: write.contentType },
    metadata: write.metadata,
  }
}

function info(etag: string | undefined, size: number, contentType: string) {
  const result: BlobInfo = { etag: etag ?? '', size, contentType }
  return result
}

/** `bytes 0-99/1234` → 1234; falls back to the bytes served. */
function totalSize(contentRange: string | undefined, fallback: number) {
  const total = contentRange?.match(/\/(\d+)$/)?.[1]
  return total === undefined ? fallback : Number(total)
}

function servedRange(contentRange: string | undefined, asked: ByteRange) {
  const match = contentRange?.match(/^bytes (\d+)-(\d+)\//)
  if (!match) return asked
  return { start: Number(match[1]), end: Number(match[2]) }
}
