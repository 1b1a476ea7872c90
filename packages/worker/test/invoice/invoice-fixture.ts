import type { InvoiceRequest } from '@invoice-jobs/shared'

/** An invoice ready to render, as the worker receives it. */
export type RenderableInvoice = InvoiceRequest & { invoiceNumber: string }

/** A small Latin-only invoice; override what a test is about. */
export function latinInvoice(
  overrides: Partial<RenderableInvoice> = {},
): RenderableInvoice {
  return {
    invoiceNumber: 'INV-2026-0042',
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
        quantity: 1.5,
        unitPrice: '1200.00',
        taxRate: 19,
      },
      { description: 'Travel', quantity: 1, unitPrice: '80.50', taxRate: 7 },
    ],
    notes: 'Thank you for your business.',
    ...overrides,
  }
}

/** The same invoice between a Greek seller and a Russian customer. */
export function cyrillicInvoice(
  overrides: Partial<RenderableInvoice> = {},
): RenderableInvoice {
  return latinInvoice({
    seller: {
      name: 'Ελληνική Εταιρεία Α.Ε.',
      addressLines: ['Οδός Σταδίου 10', 'Αθήνα 10564'],
    },
    customer: {
      name: 'Иван Петров',
      email: 'ivan@customer.example',
      addressLines: ['ул. Тверская, 7', 'Москва'],
    },
    ...overrides,
  })
}

/** An invoice with `count` short items. */
export function manyLineInvoice(count: number): RenderableInvoice {
  return latinInvoice({
    items: Array.from({ length: count }, (_, index) => ({
      description: `Item ${index + 1}`,
      quantity: 1,
      unitPrice: '9.99',
      taxRate: 19,
    })),
  })
}
