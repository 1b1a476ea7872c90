import {
  BlobSASPermissions,
  generateBlobSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
  type BlobSASSignatureValues,
  type BlobServiceClient,
  type UserDelegationKey,
} from '@azure/storage-blob'
import type { Logger } from '../../logging/create-logger.js'
import type { SignedUrlOptions } from '../../ports/blob-store.js'

export interface BlobSignerOptions {
  containerName: string
  /** Set with Azurite: its URLs are plain HTTP. */
  connectionString?: string
  /** @defaultValue the SDK's own service version */
  sasVersion?: string
}

export interface BlobSigner {
  /** A read-only URL for one blob, valid for `expiresInSeconds`. */
  sign(name: string, options: SignedUrlOptions): Promise<string>
  /** Drops the cached delegation key. */
  forget(): void
}

// A delegation key may live up to seven days; one hour is plenty to sign
// many short-lived URLs with a single key request.
const DELEGATION_KEY_MS = 60 * 60 * 1000
// Tolerates clocks that run a little ahead of the storage service's.
const CLOCK_SKEW_MS = 5 * 60 * 1000

/**
 * Signs read-only blob URLs. In Azure the managed identity asks Entra ID
 * for a user delegation key (no account key exists in the process); only
 * Azurite's connection string carries a key that signs a service SAS.
 */
export function createBlobSigner(
  service: BlobServiceClient,
  options: BlobSignerOptions,
  log: Logger,
): BlobSigner {
  let delegationKey: Promise<UserDelegationKey> | undefined
  let keyExpiresOn = 0

  /** The cached key while it outlives `expiresOn`; else a fresh one. */
  function userDelegationKey(expiresOn: Date) {
    if (delegationKey && keyExpiresOn >= expiresOn.getTime()) {
      return delegationKey
    }

    const now = Date.now()
    keyExpiresOn = Math.max(now + DELEGATION_KEY_MS, expiresOn.getTime())
    // Concurrent callers share one request; a failed one is not cached.
    const request = service
      .getUserDelegationKey(
        new Date(now - CLOCK_SKEW_MS),
        new Date(keyExpiresOn),
      )
      .then((key) => {
        log.debug('user delegation key refreshed')
        return key
      })
    request.catch(() => {
      if (delegationKey === request) delegationKey = undefined
    })
    delegationKey = request
    return request
  }

  return {
    async sign(name, signed) {
      const expiresOn = new Date(Date.now() + signed.expiresInSeconds * 1000)
      const values = sasValues(options, name, signed, expiresOn)

      const credential = service.credential
      const query =
        credential instanceof StorageSharedKeyCredential
          ? generateBlobSASQueryParameters(values, credential)
          : generateBlobSASQueryParameters(
              values,
              await userDelegationKey(expiresOn),
              service.accountName,
            )
      const blob = service
        .getContainerClient(options.containerName)
        .getBlobClient(name)
      return `${blob.url}?${query.toString()}`
    },

    forget() {
      delegationKey = undefined
      keyExpiresOn = 0
    },
  }
}

function sasValues(
  options: BlobSignerOptions,
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
