import { randomUUID } from 'node:crypto'
import type { InvoiceRequest, Job } from '@invoice-jobs/shared'

/** A valid invoice request; every call gets its own invoice number. */
export function invoiceInput(): InvoiceRequest & { invoiceNumber: string } {
  return {
    invoiceNumber: `T-${randomUUID().slice(0, 8)}`,
    currency: 'EUR',
    issueDate: '2026-12-01',
    dueDate: '2026-12-31',
    seller: { name: 'Test Seller GmbH', addressLines: ['1 Test Street'] },
    customer: {
      name: 'Test Customer',
      email: 'customer@example.test',
      addressLines: ['2 Sample Road'],
    },
    items: [
      { description: 'Consulting', quantity: 2, unitPrice: '150.00' },
      {
        description: 'Licence',
        quantity: 1,
        unitPrice: '99.90',
        taxRate: 19,
      },
    ],
  }
}

/** A new `queued` invoice job for a unique owner. */
export function queuedJob(overrides: Partial<Job> = {}): Job {
  const input = invoiceInput()
  const now = new Date()
  return {
    id: randomUUID(),
    owner: `owner-${randomUUID().slice(0, 8)}`,
    type: 'invoice',
    status: 'queued',
    version: 1,
    input,
    invoiceNumber: input.invoiceNumber,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  }
}
