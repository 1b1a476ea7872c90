import { describe, expect, it } from 'vitest'
import { openEmbedded } from '../../../src/adapters/embedded/index.js'
import { Inbox } from '../../contracts/inbox.js'
import { makeJob, messageFor } from '../../contracts/job-fixtures.js'
import { tempDir } from './temp-dir.js'

describe('openEmbedded', () => {
  it('shares one file between the store and the queue', async () => {
    const dir = await tempDir()
    const adapters = await openEmbedded({
      dataDir: dir.path,
      maxDeliveries: 2,
      lockDurationMs: 1000,
    })
    const box = new Inbox(adapters.queue)
    try {
      const job = makeJob()

      await adapters.store.create(job, messageFor(job))
      const received = await box.next(5000)
      await adapters.blobs.put(`${job.id}.pdf`, Buffer.from('%PDF'), {
        contentType: 'application/pdf',
      })

      expect(received.body).toEqual(messageFor(job))
      expect(adapters.queue.maxDeliveries).toBe(2)
      expect((await adapters.blobs.get(`${job.id}.pdf`))?.size).toBe(4)
    } finally {
      await box.close()
      await adapters.close()
      await dir.remove()
    }
  })

  it('closes everything and can be closed twice', async () => {
    const dir = await tempDir()
    const adapters = await openEmbedded({
      dataDir: dir.path,
      maxDeliveries: 2,
      lockDurationMs: 1000,
    })

    await adapters.close()
    await adapters.close()

    await expect(adapters.store.check()).rejects.toThrow('closed')
    await expect(adapters.queue.check()).rejects.toThrow('closed')
    await dir.remove()
  })
})
