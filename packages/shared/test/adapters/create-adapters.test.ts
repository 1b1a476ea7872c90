import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAdapters } from '../../src/adapters/index.js'
import { AdapterEnv } from '../../src/config/adapters.js'
import { ConfigError, loadConfig } from '../../src/config/load-config.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { Inbox } from '../contracts/inbox.js'
import { makeJob, messageFor } from '../contracts/job-fixtures.js'
import { tempDir } from './embedded/temp-dir.js'

const logger = createLogger({ level: 'silent', pretty: false, name: 'test' })
const options = { logger, role: 'worker' as const }

describe('createAdapters', () => {
  it('opens the embedded adapters on one file by default', async () => {
    const dir = await tempDir()
    const env = loadConfig(AdapterEnv, { DATA_DIR: dir.path })
    const adapters = await createAdapters(env, options)
    const box = new Inbox(adapters.queue)
    try {
      const job = makeJob()

      const created = await adapters.store.create(job, messageFor(job))
      const received = await box.next(5000)

      expect(created).toMatchObject({ outcome: 'created', enqueued: true })
      expect(received.messageId).toBe(job.id)
      expect(adapters.queue.maxDeliveries).toBe(5)
      expect(existsSync(join(dir.path, 'jobs.db'))).toBe(true)
      expect(existsSync(join(dir.path, 'blobs'))).toBe(true)
    } finally {
      await box.close()
      await adapters.close()
      await adapters.close()
      await dir.remove()
    }
  })

  it('throws a ConfigError naming every bad variable', async () => {
    const env = loadConfig(AdapterEnv, {
      JOB_STORE: 'mongodb',
      BLOB_STORE: 'azure',
    })

    const failure = await createAdapters(env, options).catch((e) => e)

    expect(failure).toBeInstanceOf(ConfigError)
    expect((failure as ConfigError).problems).toEqual([
      expect.stringMatching(/^MONGODB_URI:/),
      expect.stringMatching(/^STORAGE_ACCOUNT_URL:/),
    ])
  })

  it.each([
    ['JOB_STORE', { JOB_STORE: 'mongodb', MONGODB_URI: 'mongodb://h' }],
    [
      'JOB_QUEUE',
      { JOB_QUEUE: 'servicebus', SERVICEBUS_NAMESPACE: 'n.example.test' },
    ],
    [
      'BLOB_STORE',
      { BLOB_STORE: 'azure', STORAGE_ACCOUNT_URL: 'https://a.example.test' },
    ],
  ])('says when the %s adapter is not wired yet', async (name, vars) => {
    const dir = await tempDir()
    try {
      const env = loadConfig(AdapterEnv, { DATA_DIR: dir.path, ...vars })

      await expect(createAdapters(env, options)).rejects.toThrow(
        new RegExp(`^${name}=\\w+: this adapter is not wired yet`),
      )
    } finally {
      await dir.remove()
    }
  })
})
