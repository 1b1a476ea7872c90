import { randomUUID } from 'node:crypto'
import { constants } from 'node:fs'
import {
  access,
  mkdir,
  open,
  readFile,
  rename,
  rm,
  type FileHandle,
} from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { Readable } from 'node:stream'
import type {
  BlobInfo,
  BlobRead,
  BlobStore,
  BlobWriteOptions,
  ByteRange,
} from '../../ports/blob-store.js'
import { parseBlobName } from './blob-name.js'

interface Sidecar {
  contentType: string
  metadata?: Record<string, string>
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream'

/**
 * Blobs as files under one folder. Every write lands in a temp file in
 * the target's folder, is flushed, then renamed over the target, so a
 * reader sees the old blob or the new one, never part of one. The content
 * type sits in a hidden sidecar file next to the blob.
 */
export class FilesystemBlobStore implements BlobStore {
  readonly root: string

  constructor(root: string) {
    this.root = resolve(root)
  }

  async put(
    name: string,
    body: Readable | Uint8Array,
    options: BlobWriteOptions,
  ): Promise<BlobInfo> {
    const { file, sidecar } = this.#paths(name)
    await mkdir(dirname(file), { recursive: true })

    const sidecarBody: Sidecar = {
      contentType: options.contentType,
      ...(options.metadata && { metadata: options.metadata }),
    }
    // Sidecar first: a crash between the renames leaves the old bytes
    // with the new content type, never new bytes without a sidecar.
    await writeAtomically(sidecar, (handle) =>
      handle.writeFile(JSON.stringify(sidecarBody)),
    )
    const stat = await writeAtomically(file, async (handle) => {
      if (body instanceof Uint8Array) return writeAll(handle, body)
      // One chunk at a time: the body is never held whole in memory.
      for await (const chunk of body) {
        const bytes = chunk as Uint8Array | string
        await writeAll(
          handle,
          typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
        )
      }
    })
    await syncFolder(dirname(file))

    return {
      etag: etagOf(stat),
      size: Number(stat.size),
      contentType: options.contentType,
    }
  }

  async get(
    name: string,
    options: { range?: ByteRange } = {},
  ): Promise<BlobRead | undefined> {
    const { file, sidecar } = this.#paths(name)

    let handle: FileHandle
    try {
      handle = await open(file, 'r')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    }

    try {
      // Size and ETag come from the open file, so they match the bytes
      // streamed even if a writer replaces the blob meanwhile.
      const stat = await handle.stat({ bigint: true })
      // `a` is a folder when `a/b.pdf` exists; it is not a blob.
      if (!stat.isFile()) {
        await handle.close()
        return undefined
      }
      const size = Number(stat.size)
      const { range } = options
      if (range) assertRange(range, size)
      const meta = await readSidecar(sidecar)

      const stream = handle.createReadStream({
        start: range?.start ?? 0,
        ...(range ? { end: range.end } : {}),
        autoClose: true,
      })
      return {
        stream,
        etag: etagOf(stat),
        size,
        contentType: meta.contentType,
        contentLength: range ? range.end - range.start + 1 : size,
        ...(range && { range }),
      }
    } catch (err) {
      await handle.close()
      throw err
    }
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true })
    await access(this.root, constants.R_OK | constants.W_OK)
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }

  #paths(name: string): { file: string; sidecar: string } {
    const segments = parseBlobName(name)
    const base = segments.pop()!
    const folder = join(this.root, ...segments)
    return {
      file: join(folder, base),
      sidecar: join(folder, `.${base}.meta.json`),
    }
  }
}

interface FileStat {
  size: bigint
  mtimeNs: bigint
  ino: bigint
}

/** Writes through a temp file in the same folder, then renames. */
async function writeAtomically(
  target: string,
  write: (handle: FileHandle) => Promise<void>,
): Promise<FileStat> {
  const folder = dirname(target)
  const temp = join(folder, `.${randomUUID()}.tmp`)
  const handle = await open(temp, 'wx')
  try {
    await write(handle)
    await handle.sync()
    const stat = await handle.stat({ bigint: true })
    await handle.close()
    await rename(temp, target)
    return stat
  } catch (err) {
    await handle.close().catch(() => undefined)
    await rm(temp, { force: true })
    throw err
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset)
    offset += bytesWritten
  }
}

/** Makes the renames durable; some platforms cannot open a folder. */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined
  try {
    handle = await open(folder, 'r')
    await handle.sync()
  } catch {
    // Best effort: the data itself is already flushed.
  } finally {
    await handle?.close()
  }
}

async function readSidecar(path: string): Promise<Sidecar> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Sidecar
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { contentType: DEFAULT_CONTENT_TYPE }
    }
    throw err
  }
}

/** Each put makes a new inode (the rename), so this changes on overwrite. */
function etagOf(stat: FileStat): string {
  const parts = [stat.size, stat.mtimeNs, stat.ino].map((n) => n.toString(36))
  return `"${parts.join('-')}"`
}

function assertRange(range: ByteRange, size: number): void {
  const { start, end } = range
  if (
    !Number.isSafeInteger(start) ||
    !Number.isSafeInteger(end) ||
    start < 0 ||
    start > end ||
    end >= size
  ) {
    throw new RangeError(
      `byte range ${start}-${end} is not within a blob of ${size} bytes`,
    )
  }
}
