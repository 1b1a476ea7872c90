import { randomUUID } from 'node:crypto'
import type { InvoiceRequest } from '@invoice-jobs/shared'

/** A valid invoice; each call has its own invoice number. */
export function validInvoice(
  overrides: Partial<InvoiceRequest> = {},
): InvoiceRequest {
  return {
    invoiceNumber: `T-${randomUUID().slice(0, 8)}`,
    currency: 'EUR',
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    seller: {
      name: 'Atelier Müller GmbH',
      addressLines: ['Hauptstraße 1', '10115 Berlin'],
    },
    customer: {
      name: 'Example Customer',
      email: 'billing@example.test',
    },
    items: [
      { description: 'Consulting', quantity: 2, unitPrice: '120.50' },
      { description: 'Travel', quantity: 1, unitPrice: '80.00', taxRate: 19 },
    ],
    ...overrides,
  }
}
