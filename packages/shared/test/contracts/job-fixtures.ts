import { randomUUID } from 'node:crypto'
import type { Job } from '../../src/jobs/job.js'
import type { QueueMessage } from '../../src/schemas/message.js'

/** A queued invoice job with made-up, non-personal data. */
export function makeJob(overrides: Partial<Job> = {}): Job {
  const id = overrides.id ?? randomUUID()
  const invoiceNumber = overrides.invoiceNumber ?? `T-${id.slice(0, 8)}`
  const now = new Date()
  return {
    id,
    owner: `owner-${randomUUID()}`,
    type: 'invoice',
    status: 'queued',
    version: 1,
    input: {
      invoiceNumber,
      currency: 'EUR',
      issueDate: '2026-01-15',
      dueDate: '2026-02-15',
      seller: { name: 'Seller Ltd', addressLines: ['1 Test Street'] },
      customer: { name: 'Buyer Co', email: 'buyer@example.test' },
      items: [{ description: 'Widget', quantity: 2, unitPrice: '10.00' }],
    },
    invoiceNumber,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  }
}

/** The claim-check message for `job`. */
export function messageFor(job: Job): QueueMessage {
  return { jobId: job.id, type: job.type }
}
