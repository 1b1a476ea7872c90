import { PassThrough, Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  isRestError,
  SASProtocol,
  StorageSharedKeyCredential,
  type BlobSASSignatureValues,
  type BlockBlobUploadOptions,
  type UserDelegationKey,
} from '@azure/storage-blob'
import type { TokenCredential } from '@azure/identity'
import type { Logger } from '../../logging/create-logger.js'
import type {
  BlobInfo,
  BlobRead,
  BlobStore,
  BlobWriteOptions,
  ByteRange,
  SignedUrlOptions,
} from '../../ports/blob-store.js'
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

// A delegation key may live up to seven days; one hour is plenty to sign
// many short-lived URLs with a single key request.
const DELEGATION_KEY_MS = 60 * 60 * 1000
// Tolerates clocks that run a little ahead of the storage service's.
const CLOCK_SKEW_MS = 5 * 60 * 1000

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

  let delegationKey: UserDelegationKey | undefined

  /** A key from Entra ID for user-delegation SAS, reused while valid. */
  async function userDelegationKey(expiresOn: Date) {
    const valid =
      delegationKey &&
      new Date(delegationKey.signedExpiresOn).getTime() >= expiresOn.getTime()
    if (valid) return delegationKey!

    const now = Date.now()
    const until = Math.max(now + DELEGATION_KEY_MS, expiresOn.getTime())
    delegationKey = await service.getUserDelegationKey(
      new Date(now - CLOCK_SKEW_MS),
      new Date(until),
    )
    log.debug('user delegation key refreshed')
    return delegationKey
  }

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
      const expiresOn = new Date(Date.now() + signed.expiresInSeconds * 1000)
      const values = sasValues(options, name, signed, expiresOn)

      // Only Azurite's connection string carries an account key; in Azure
      // the managed identity signs through a user delegation key.
      const credential = service.credential
      const query =
        credential instanceof StorageSharedKeyCredential
          ? generateBlobSASQueryParameters(values, credential)
          : generateBlobSASQueryParameters(
              values,
              await userDelegationKey(expiresOn),
              service.accountName,
            )
      return `${container.getBlobClient(name).url}?${query.toString()}`
    },

    async check() {
      await container.getProperties()
    },

    async close() {
      // The SDK keeps no sockets that need closing; forget the signing key.
      delegationKey = undefined
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

function sasValues(
  options: AzureBlobStoreOptions,
  name: string,
  signed: SignedUrlOptions,
  expiresOn: Date,
): BlobSASSignatureValues {
  return {
    containerName: options.containerName,
    blobName: name,
    permissions: BlobSASPermissions.parse('r'),
    expiresOn,
    // Azurite answers on plain HTTP; real accounts only ever over HTTPS.
    protocol: options.connectionString
      ? SASProtocol.HttpsAndHttp
      : SASProtocol.Https,
    contentType: signed.contentType,
    contentDisposition: attachment(signed.fileName),
    ...(options.sasVersion && { version: options.sasVersion }),
  }
}

/** An RFC 6266 attachment header with an ASCII fallback name. */
function attachment(fileName: string) {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
