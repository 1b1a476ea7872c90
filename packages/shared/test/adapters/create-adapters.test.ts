import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdapters } from '../../src/adapters/index.js'
import { AdapterEnv } from '../../src/config/adapters.js'
import { ConfigError, loadConfig } from '../../src/config/load-config.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { Inbox } from '../contracts/inbox.js'
import { makeJob, messageFor } from '../contracts/job-fixtures.js'
import {
  startAzureLocalStack,
  type AzureLocalStack,
} from '../support/azure-local-stack.js'
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

  describe('when every port is set to its Azure adapter', () => {
    let stack: AzureLocalStack

    beforeAll(async () => {
      stack = await startAzureLocalStack()
    })

    afterAll(async () => {
      await stack?.close()
    })

    it('opens Cosmos DB, Service Bus and Blob Storage from env alone', async () => {
      const env = loadConfig(AdapterEnv, stack.env)
      const adapters = await createAdapters(env, options)
      const box = new Inbox(adapters.queue)
      try {
        const job = makeJob()

        const created = await adapters.store.create(job, messageFor(job))
        await adapters.queue.send(messageFor(job))
        const received = await box.next(10_000)
        await adapters.queue.complete(received)
        await adapters.blobs.put('check/one.pdf', Buffer.from('%PDF-'), {
          contentType: 'application/pdf',
        })

        expect(created).toMatchObject({ outcome: 'created', enqueued: false })
        expect(received.body.jobId).toBe(job.id)
        expect(
          stack.mongo.database(env.MONGODB_DATABASE).documents('jobs'),
        ).toHaveLength(1)
        expect(stack.broker.queue(stack.queueName).acceptedSends).toBe(1)
        expect((await adapters.blobs.get('check/one.pdf'))?.size).toBe(5)
      } finally {
        await box.close()
        await adapters.close()
        await adapters.close()
      }
    })
  })
})
