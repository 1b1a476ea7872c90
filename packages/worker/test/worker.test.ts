import { join } from 'node:path'
import {
  openSqliteDatabase,
  SqliteJobQueue,
} from '@invoice-jobs/shared/embedded'
import { transition } from '@invoice-jobs/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { PermanentJobError, TransientJobError } from '../src/errors.js'
import { defaultHandlers, type JobHandlers } from '../src/handlers/index.js'
import { createWorker, type Worker } from '../src/worker.js'
import { createHarness, type Harness } from './support/worker-harness.js'
import { readPdfText } from './support/read-pdf-text.js'
import { sleep, textHandler } from './support/test-handlers.js'

describe('createWorker', () => {
  let harness: Harness
  let worker: Worker | undefined

  afterEach(async () => {
    await worker?.close()
    worker = undefined
    await harness.close()
  })

  async function start(
    handlers: JobHandlers,
    env: Record<string, string> = {},
  ): Promise<Worker> {
    harness = await createHarness(env)
    worker = createWorker({
      config: harness.config,
      adapters: harness.adapters,
      logger: harness.logger,
      handlers,
      random: () => 0.5,
    })
    worker.start()
    return worker
  }

  describe('when a job is queued', () => {
    it('renders the invoice, stores the PDF, completes the job and removes the message', async () => {
      await start(defaultHandlers)
      const job = await harness.createJob()

      const done = await harness.waitForJob(
        job.id,
        (j) => j.status === 'completed',
      )

      expect(done.attempts).toBe(1)
      expect(done.result).toMatchObject({
        blobName: `invoices/${job.owner}/${job.id}.pdf`,
        contentType: 'application/pdf',
        fileName: `${job.invoiceNumber}.pdf`,
      })
      const blob = await harness.adapters.blobs.get(done.result!.blobName)
      const bytes = Buffer.concat(await blob!.stream.toArray())
      const { text } = await readPdfText(bytes)
      expect(text).toContain(job.invoiceNumber)
      expect(bytes.length).toBe(done.result!.size)
      expect(blob?.etag).toBe(done.result!.etag)
      await expect.poll(() => harness.queuedMessages(job.id)).toBe(0)
      expect(worker!.stats.completed).toBe(1)
      const completed = harness.logs.find((l) => l.msg === 'job completed')
      expect(completed).toMatchObject({ jobId: job.id, deliveryCount: 1 })
      expect(completed?.ms).toBeGreaterThanOrEqual(0)
      expect(JSON.stringify(harness.logs)).not.toContain('example.test')
    })

    it('changes nothing when the message of a completed job comes again', async () => {
      const handler = textHandler()
      await start({ invoice: handler })
      const job = await harness.createJob()
      const first = await harness.waitForJob(
        job.id,
        (j) => j.status === 'completed',
      )
      await expect.poll(() => harness.queuedMessages(job.id)).toBe(0)

      // The adapters' queue drops a repeated message id for ten minutes,
      // as Service Bus does; a second queue on the same file, without
      // that window, stands in for a redelivery.
      const db = openSqliteDatabase(join(harness.dataDir, 'jobs.db'))
      const resend = new SqliteJobQueue({
        db,
        maxDeliveries: 3,
        lockDurationMs: 1000,
        duplicateWindowMs: 0,
        closeDatabase: true,
      })
      await resend.send({ jobId: job.id, type: 'invoice' })
      await resend.close()
      await expect.poll(() => worker!.stats.duplicate).toBe(1)
      await expect.poll(() => harness.queuedMessages(job.id)).toBe(0)

      const after = await harness.adapters.store.get(job.id)
      expect(after).toEqual(first)
      expect(handler.calls).toHaveLength(1)
      const blob = await harness.adapters.blobs.get(first.result!.blobName)
      expect(blob?.etag).toBe(first.result!.etag)
      blob?.stream.destroy()
    })
  })

  describe('when a handler fails transiently', () => {
    it('retries the job and completes it on a later delivery', async () => {
      const handler = textHandler((_job, call) => {
        if (call === 1) throw new TransientJobError('renderer busy')
      })
      await start({ invoice: handler })
      const job = await harness.createJob()

      const done = await harness.waitForJob(
        job.id,
        (j) => j.status === 'completed',
      )

      expect(done.attempts).toBe(2)
      expect(handler.calls).toHaveLength(2)
      expect(worker!.stats).toMatchObject({ retried: 1, completed: 1 })
      const warning = harness.logs.find((l) => l.msg === 'job will be retried')
      expect(warning).toMatchObject({
        jobId: job.id,
        attempt: 1,
        maxDeliveries: 3,
        deliveryCount: 1,
      })
      expect(warning?.delayMs).toBeGreaterThan(0)
    })

    it('fails the job and dead-letters its message after the last delivery', async () => {
      const handler = textHandler(() => {
        throw new Error('socket hang up')
      })
      await start({ invoice: handler }, { MAX_DELIVERIES: '2' })
      const job = await harness.createJob()

      const failed = await harness.waitForJob(
        job.id,
        (j) => j.status === 'failed',
      )

      expect(failed.error).toEqual({
        code: 'max_deliveries_exceeded',
        message: 'gave up after attempt 2 of 2',
      })
      expect(failed.attempts).toBe(2)
      const letter = await harness.takeDeadLetter(job.id)
      expect(letter.deadLetterReason).toBe('MaxDeliveriesExceeded')
      expect(letter.deadLetterDescription).toBe('attempt 2 of 2 failed')
    })
  })

  describe('when a crashed delivery left the job processing', () => {
    it('takes the job over and completes it', async () => {
      harness = await createHarness()
      const job = await harness.createJob()
      // What a worker that died mid-job leaves behind.
      await transition(harness.adapters.store, job, 'processing', {
        attempts: 1,
      })
      worker = createWorker({
        config: harness.config,
        adapters: harness.adapters,
        logger: harness.logger,
        handlers: { invoice: textHandler() },
      })
      worker.start()

      const done = await harness.waitForJob(
        job.id,
        (j) => j.status === 'completed',
      )

      expect(done.attempts).toBe(2)
      expect(harness.logs.map((l) => l.msg)).toContain(
        'taking over a stalled job',
      )
    })
  })

  describe('when a delivery outlives its lock', () => {
    it('lets the redelivery finish the job and counts the lost lock', async () => {
      const handler = textHandler((_job, call) =>
        call === 1 ? sleep(1600) : undefined,
      )
      await start(
        { invoice: handler },
        { LOCK_DURATION_MS: '1000', LOCK_RENEWAL_MAX_MS: '0' },
      )
      const job = await harness.createJob()

      const done = await harness.waitForJob(
        job.id,
        (j) => j.status === 'completed',
      )
      await expect.poll(() => worker!.stats.lockLost).toBe(1)

      expect(done.attempts).toBe(2)
      expect(worker!.stats).toMatchObject({ completed: 1, superseded: 1 })
      expect(await harness.adapters.store.get(job.id)).toEqual(done)
      const blob = await harness.adapters.blobs.get(done.result!.blobName)
      blob?.stream.destroy()
      expect(blob?.etag).toBe(done.result!.etag)
      expect(harness.queuedMessages(job.id)).toBe(0)
    })
  })

  describe('when a handler fails permanently', () => {
    it('fails the job at once and dead-letters its message with the reason', async () => {
      const handler = textHandler(() => {
        throw new PermanentJobError('invalid_invoice', 'the items are bad')
      })
      await start({ invoice: handler })
      const job = await harness.createJob()

      const failed = await harness.waitForJob(
        job.id,
        (j) => j.status === 'failed',
      )

      expect(failed.error).toEqual({
        code: 'invalid_invoice',
        message: 'the items are bad',
      })
      expect(handler.calls).toHaveLength(1)
      const letter = await harness.takeDeadLetter(job.id)
      expect(letter.deadLetterReason).toBe('PermanentFailure')
      expect(letter.deadLetterDescription).toBe(
        'invalid_invoice: the items are bad',
      )
    })
  })

  describe('when no handler knows the job type', () => {
    it('fails the job as unsupported', async () => {
      await start({})
      const job = await harness.createJob()

      const failed = await harness.waitForJob(
        job.id,
        (j) => j.status === 'failed',
      )

      expect(failed.error?.code).toBe('unsupported_job_type')
    })
  })

  describe('when the message is malformed', () => {
    it('dead-letters it as InvalidMessage', async () => {
      await start({ invoice: textHandler() })
      const jobId = crypto.randomUUID()
      const body = { jobId, type: 'invoice', requestId: 42 }
      await harness.adapters.queue.send(body as never)

      const letter = await harness.takeDeadLetter(jobId)

      expect(letter.deadLetterReason).toBe('InvalidMessage')
      expect(letter.deadLetterDescription).toBe('requestId is not a string')
    })
  })

  describe('when the job does not exist', () => {
    it('dead-letters the message as JobNotFound', async () => {
      await start({ invoice: textHandler() })
      const jobId = crypto.randomUUID()
      await harness.adapters.queue.send({ jobId, type: 'invoice' })

      const letter = await harness.takeDeadLetter(jobId)

      expect(letter.deadLetterReason).toBe('JobNotFound')
      expect(worker!.stats.rejected).toBe(1)
    })
  })
})
