import { validateInvoice, type Job } from '@invoice-jobs/shared'
import { PermanentJobError } from '../errors.js'
import { renderInvoicePdf } from '../invoice/render-invoice.js'
import { documentBlobName, type JobHandler } from './job-handler.js'

/**
 * Renders an invoice job's stored request to a PDF. The request was
 * validated when it was accepted, so stored data that fails validation now
 * (an older API, a hand-edited row) can never render: a permanent failure,
 * not something to retry.
 */
export const invoiceHandler: JobHandler = async (job) => {
  checkStoredInput(job)

  let body: Uint8Array
  try {
    body = await renderInvoicePdf(job.input)
  } catch (err) {
    // Amounts that do not parse surface as RangeError (MoneyFormatError).
    if (err instanceof RangeError) {
      throw new PermanentJobError(
        'invalid_invoice',
        'the stored invoice has amounts that cannot be rendered',
        { cause: err },
      )
    }
    throw err
  }

  return {
    blobName: documentBlobName(job, '.pdf'),
    body,
    contentType: 'application/pdf',
    fileName: `${job.invoiceNumber}.pdf`,
  }
}

function checkStoredInput(job: Job): void {
  let fields: string[]
  try {
    fields = validateInvoice(job.input).map((e) => e.field)
  } catch (err) {
    // A shape the schema would have refused (missing items, wrong types).
    throw new PermanentJobError(
      'invalid_invoice',
      'the stored invoice is malformed',
      { cause: err },
    )
  }

  // Field pointers only: the values may be personal data.
  if (fields.length > 0) {
    throw new PermanentJobError(
      'invalid_invoice',
      `the stored invoice is not valid at ${fields.join(', ')}`,
    )
  }
}
