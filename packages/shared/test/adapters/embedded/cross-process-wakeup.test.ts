import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqliteDatabase } from '../../../src/adapters/embedded/sqlite-database.js'
import { SqliteJobQueue } from '../../../src/adapters/embedded/sqlite-job-queue.js'
import { Inbox } from '../../contracts/inbox.js'
import { tempDir } from './temp-dir.js'

const run = promisify(execFile)
const repoRoot = resolve(import.meta.dirname, '../../../../..')
const sender = join(
  import.meta.dirname,
  'fixtures/send-from-another-process.ts',
)

describe('SqliteJobQueue across processes', () => {
  let file: string
  let queue: SqliteJobQueue
  let cleanup: () => Promise<void>

  beforeEach(async () => {
    const dir = await tempDir()
    file = join(dir.path, 'jobs.db')
    queue = new SqliteJobQueue({
      db: openSqliteDatabase(file),
      maxDeliveries: 3,
      lockDurationMs: 5000,
      // The safety-net poll alone would take 10 s: a delivery within 5 s
      // can only come from watching the write-ahead log.
      fallbackPollMs: 10_000,
      closeDatabase: true,
    })
    cleanup = async () => {
      await queue.close()
      await dir.remove()
    }
  })
  afterEach(async () => {
    await cleanup()
  })

  it('wakes the subscriber when another process sends', async () => {
    const box = new Inbox(queue)
    const jobId = randomUUID()
    try {
      // Let the first (empty) poll pass, so only a wake-up can deliver.
      await new Promise((r) => setTimeout(r, 200))

      const { stdout } = await run(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', sender, file, jobId],
        { cwd: repoRoot, timeout: 60_000 },
      )
      const sentAt = Number(/sent (\d+)/.exec(stdout)?.[1])
      const received = await box.next(5000)
      const latency = Date.now() - sentAt

      expect(received.messageId).toBe(jobId)
      expect(latency).toBeLessThan(5000)
      expect(box.errors).toEqual([])
    } finally {
      await box.close()
    }
  })
})
