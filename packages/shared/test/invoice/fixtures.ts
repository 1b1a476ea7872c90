import type { InvoiceRequest } from '../../src/schemas/invoice.js'

/** A small valid invoice; override what a test is about. */
export function invoice(
  overrides: Partial<InvoiceRequest> = {},
): InvoiceRequest {
  return {
    currency: 'EUR',
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    seller: {
      name: 'Acme Tools GmbH',
      addressLines: ['Hauptstraße 1', '10115 Berlin'],
      taxId: 'DE123456789',
      email: 'billing@acme.example',
    },
    customer: {
      name: 'Example Customer Ltd',
      email: 'accounts@customer.example',
      addressLines: ['1 High Street', 'Bristol'],
    },
    items: [
      {
        description: 'Consulting',
        quantity: 2,
        unitPrice: '100.00',
        taxRate: 19,
      },
    ],
    notes: 'Thank you.',
    ...overrides,
  }
}
