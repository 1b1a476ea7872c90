import type { InvoiceRequest } from '@invoice-jobs/shared'

/**
 * A multilingual invoice with `lines` items: the seller writes Greek, the
 * customer Cyrillic. Each line costs 1.50 × (i + 1) at 20 % tax, so the
 * expected grand total is easy to compute by hand.
 */
export function multilingualInvoice(
  lines: number,
  invoiceNumber: string,
): InvoiceRequest {
  return {
    invoiceNumber,
    currency: 'EUR',
    issueDate: '2026-12-01',
    dueDate: '2026-12-31',
    seller: {
      name: 'Ελληνική Εταιρεία Λογισμικού',
      addressLines: ['Λεωφόρος Αλεξάνδρας 10', '114 73 Αθήνα'],
      taxId: 'EL123456789',
    },
    customer: {
      name: 'Анна Каренина',
      email: 'anna@example.com',
      addressLines: ['Тверская улица 7', 'Москва'],
    },
    items: Array.from({ length: lines }, (_, i) => ({
      description: `Консультация ${i + 1}: ανάλυση απαιτήσεων`,
      quantity: i + 1,
      unitPrice: '1.50',
      taxRate: 20,
    })),
    notes: 'Ευχαριστούμε! Спасибо за сотрудничество.',
  }
}

/** Grand total of `multilingualInvoice(lines)` in cents, worked out apart. */
export function expectedGrandTotalCents(lines: number): bigint {
  const units = BigInt((lines * (lines + 1)) / 2)
  const subtotal = units * 150n
  const tax = (subtotal * 20n + 50n) / 100n
  return subtotal + tax
}
