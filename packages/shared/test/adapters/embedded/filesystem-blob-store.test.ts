import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FilesystemBlobStore } from '../../../src/adapters/embedded/filesystem-blob-store.js'
import { InvalidBlobNameError } from '../../../src/adapters/embedded/blob-name.js'
import { describeBlobStoreContract } from '../../contracts/blob-store-contract.js'
import { tempDir } from './temp-dir.js'

describeBlobStoreContract('filesystem', async () => {
  const dir = await tempDir()
  const blobs = new FilesystemBlobStore(join(dir.path, 'blobs'))
  return {
    blobs,
    async cleanup() {
      await blobs.close()
      await dir.remove()
    },
  }
})

describe('FilesystemBlobStore', () => {
  let root: string
  let blobs: FilesystemBlobStore
  let remove: () => Promise<void>

  beforeEach(async () => {
    const dir = await tempDir()
    root = join(dir.path, 'blobs')
    blobs = new FilesystemBlobStore(root)
    remove = dir.remove
  })
  afterEach(async () => {
    await remove()
  })

  const options = { contentType: 'application/pdf' }

  it.each([
    '../escape.pdf',
    'a/../../escape.pdf',
    '/etc/passwd',
    'C:/windows.pdf',
    'a\\b.pdf',
    'nul\u0000.pdf',
    'a//b.pdf',
    './a.pdf',
    '.hidden',
    'a/.b.meta.json',
    '',
  ])('refuses the blob name %j', async (name) => {
    await expect(blobs.put(name, Buffer.from('x'), options)).rejects.toThrow(
      InvalidBlobNameError,
    )
    await expect(blobs.get(name)).rejects.toThrow(InvalidBlobNameError)
  })

  it('accepts folder-style names and stores them inside the root', async () => {
    await blobs.put('2026/06/a.pdf', Buffer.from('x'), options)

    expect(await readdir(join(root, '2026', '06'))).toContain('a.pdf')
  })

  it('returns undefined for a name that is a folder of blobs', async () => {
    await blobs.put('folder/inside.pdf', Buffer.from('x'), options)

    expect(await blobs.get('folder')).toBeUndefined()
  })

  it('never shows a partial write under the final name', async () => {
    await blobs.put('doc.pdf', Buffer.from('complete old body'), options)
    const body = new Readable({ read() {} })
    body.push(Buffer.alloc(256 * 1024, 1))

    const writing = blobs.put('doc.pdf', body, options)
    await waitForTempFile(root)
    const during = await blobs.get('doc.pdf')
    const duringBody = await readAll(during!.stream)
    body.destroy(new Error('client went away'))

    await expect(writing).rejects.toThrow('client went away')
    expect(duringBody.toString()).toBe('complete old body')
    const after = await blobs.get('doc.pdf')
    expect((await readAll(after!.stream)).toString()).toBe('complete old body')
    expect(await readdir(root)).toEqual(['.doc.pdf.meta.json', 'doc.pdf'])
  })

  it('refuses a range outside the blob', async () => {
    await blobs.put('r.bin', Buffer.from('0123'), options)

    await expect(
      blobs.get('r.bin', { range: { start: 2, end: 4 } }),
    ).rejects.toThrow(RangeError)
    await expect(
      blobs.get('r.bin', { range: { start: 3, end: 2 } }),
    ).rejects.toThrow(RangeError)
  })

  it('reads a blob without a sidecar as application/octet-stream', async () => {
    await blobs.check()
    await writeFile(join(root, 'bare.bin'), 'abc')

    const read = await blobs.get('bare.bin')

    expect(read?.contentType).toBe('application/octet-stream')
    read?.stream.destroy()
  })
})

async function waitForTempFile(folder: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const names = await readdir(folder)
    if (names.some((n) => n.endsWith('.tmp'))) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('the write never started a temp file')
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const part of stream) parts.push(part as Buffer)
  return Buffer.concat(parts)
}
