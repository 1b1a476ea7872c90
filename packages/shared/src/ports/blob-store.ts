import type { Readable } from 'node:stream'

export interface BlobWriteOptions {
  contentType: string
  metadata?: Record<string, string>
}

export interface BlobInfo {
  etag: string
  /** Size of the whole blob in bytes. */
  size: number
  contentType: string
}

/** Inclusive byte range, as in HTTP. */
export interface ByteRange {
  start: number
  end: number
}

export interface BlobRead extends BlobInfo {
  stream: Readable
  /** Bytes in `stream`: the range's length, or `size`. */
  contentLength: number
  range?: ByteRange
}

export interface SignedUrlOptions {
  expiresInSeconds: number
  fileName: string
  contentType: string
}

/** Private storage for finished documents. */
export interface BlobStore {
  /** Writes the whole body under `name`, replacing any earlier blob. */
  put(
    name: string,
    body: Readable | Uint8Array,
    options: BlobWriteOptions,
  ): Promise<BlobInfo>

  /** Opens the blob for reading (one call), or undefined when absent. The
   * range must lie within the blob. */
  get(
    name: string,
    options?: { range?: ByteRange },
  ): Promise<BlobRead | undefined>

  /** A short-lived read-only URL, where the adapter supports it. */
  signedUrl?(name: string, options: SignedUrlOptions): Promise<string>

  check(): Promise<void>

  /** Safe to call twice. */
  close(): Promise<void>
}
