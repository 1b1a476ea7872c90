import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh folder under the OS temp dir, and a way to remove it. */
export async function tempDir(): Promise<{
  path: string
  remove(): Promise<void>
}> {
  const path = await mkdtemp(join(tmpdir(), 'invoice-jobs-test-'))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}
