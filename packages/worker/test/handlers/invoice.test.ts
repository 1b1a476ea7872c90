import type { Job } from '@invoice-jobs/shared'
import { describe, expect, it } from 'vitest'
import { PermanentJobError } from '../../src/errors.js'
import { invoiceHandler } from '../../src/handlers/invoice.js'
import { captureLogger } from '../support/capture-logger.js'
import { queuedJob } from '../support/invoice-jobs.js'

const context = {
  logger: captureLogger().logger,
  signal: new AbortController().signal,
}

describe('invoiceHandler', () => {
  it('renders the stored invoice to a PDF under a name fixed by the job', async () => {
    const job = queuedJob()

    const output = await invoiceHandler(job, context)

    expect(Buffer.from(output.body.subarray(0, 5)).toString()).toBe('%PDF-')
    expect(output).toMatchObject({
      blobName: `invoices/${job.owner}/${job.id}.pdf`,
      contentType: 'application/pdf',
      fileName: `${job.invoiceNumber}.pdf`,
    })
  })

  it('fails permanently for stored data that no longer validates', async () => {
    const job = queuedJob()
    job.input.dueDate = '2026-01-01'

    const failure = await invoiceHandler(job, context).catch((e) => e)

    expect(failure).toBeInstanceOf(PermanentJobError)
    expect(failure).toMatchObject({
      code: 'invalid_invoice',
      message: 'the stored invoice is not valid at /dueDate',
    })
  })

  it('fails permanently for stored data of the wrong shape', async () => {
    const job = queuedJob()
    const broken = {
      ...job,
      input: { ...job.input, items: undefined },
    } as unknown as Job

    const failure = await invoiceHandler(broken, context).catch((e) => e)

    expect(failure).toBeInstanceOf(PermanentJobError)
    expect(failure.code).toBe('invalid_invoice')
  })

  it('keeps personal data out of the error message', async () => {
    const job = queuedJob()
    job.input.customer.name = 'Zoë 漢字'

    const failure = await invoiceHandler(job, context).catch((e) => e)

    expect(failure).toBeInstanceOf(PermanentJobError)
    expect(failure.message).toContain('/customer/name')
    expect(failure.message).not.toContain('Zoë')
  })
})
