import { describe, expect, it } from 'vitest'
import { isCalendarDate, validateInvoice } from '../../src/invoice/validate.js'
import type { InvoiceRequest } from '../../src/schemas/invoice.js'
import { invoice } from './fixtures.js'

const item = (overrides: Partial<InvoiceRequest['items'][number]>) => ({
  description: 'Consulting',
  quantity: 1,
  unitPrice: '10.00',
  taxRate: 19,
  ...overrides,
})

describe('validateInvoice', () => {
  it('accepts a valid invoice', () => {
    expect(validateInvoice(invoice())).toEqual([])
  })

  it.each<[string, Partial<InvoiceRequest>, string, RegExp]>([
    ['an unknown currency', { currency: 'ABC' }, '/currency', /ISO 4217/],
    ['a metal code', { currency: 'XAU' }, '/currency', /ISO 4217/],
    [
      'a unit price with cents in yen',
      { currency: 'JPY', items: [item({ unitPrice: '100.50' })] },
      '/items/0/unitPrice',
      /at most 0 decimals for JPY/,
    ],
    [
      'a unit price with 3 decimals in euros',
      { items: [item({}), item({ unitPrice: '1.005' })] },
      '/items/1/unitPrice',
      /at most 2 decimals for EUR/,
    ],
    [
      'a quantity with 4 decimals',
      { items: [item({ quantity: 1.0005 })] },
      '/items/0/quantity',
      /at most 3 decimals/,
    ],
    [
      'a quantity in exponent form',
      { items: [item({ quantity: 1e-7 })] },
      '/items/0/quantity',
      /not a plain decimal/,
    ],
    [
      'a zero quantity',
      { items: [item({ quantity: 0 })] },
      '/items/0/quantity',
      /greater than 0/,
    ],
    [
      'a tax rate with 3 decimals',
      { items: [item({ taxRate: 7.125 })] },
      '/items/0/taxRate',
      /at most 2 decimals/,
    ],
    [
      'an impossible issue date',
      { issueDate: '2026-02-30', dueDate: '2026-03-31' },
      '/issueDate',
      /calendar date/,
    ],
    [
      'an impossible due date',
      { dueDate: '2026-04-31' },
      '/dueDate',
      /calendar date/,
    ],
    [
      'a due date before the issue date',
      { issueDate: '2026-03-01', dueDate: '2026-02-28' },
      '/dueDate',
      /not be before issueDate/,
    ],
    [
      'a CJK character in the customer name',
      {
        customer: {
          name: 'Li 中文',
          email: 'li@customer.example',
        },
      },
      '/customer/name',
      /cannot draw: "中" \(U\+4E2D\), "文" \(U\+6587\)$/,
    ],
    [
      'a tab in a description',
      { items: [item({}), item({}), item({}), item({ description: 'a\tb' })] },
      '/items/3/description',
      /cannot draw: U\+0009$/,
    ],
    [
      'a newline in an address line',
      {
        seller: { name: 'Acme', addressLines: ['Street 1', 'Town\nLand'] },
      },
      '/seller/addressLines/1',
      /U\+000A/,
    ],
    [
      'a carriage return in a customer name',
      { customer: { name: 'Acme\r', email: 'a@example.com' } },
      '/customer/name',
      /U\+000D/,
    ],
    [
      'a grand total above 10^15 minor units',
      { items: [item({ quantity: 1000, unitPrice: '999999999999.99' })] },
      '/items',
      /grand total exceeds/,
    ],
  ])('rejects %s', (_case, overrides, field, message) => {
    const errors = validateInvoice(invoice(overrides))

    expect(errors).toHaveLength(1)
    expect(errors[0]?.field).toBe(field)
    expect(errors[0]?.message).toMatch(message)
  })

  it('names at most ten undrawable characters', () => {
    const errors = validateInvoice(
      invoice({ notes: '一二三四五六七八九十百千' }),
    )

    expect(errors).toEqual([
      {
        field: '/notes',
        message: expect.stringMatching(/"十" \(U\+5341\) and 2 more$/),
      },
    ])
  })

  it('accepts newlines in the notes', () => {
    expect(validateInvoice(invoice({ notes: 'One\n\nTwo' }))).toEqual([])
  })

  it('accepts Windows line endings in the notes', () => {
    expect(validateInvoice(invoice({ notes: 'One\r\nTwo' }))).toEqual([])
  })

  it('accepts Greek, Cyrillic and accented Latin text', () => {
    const input = invoice({
      seller: { name: 'Ελληνική Εταιρεία Α.Ε.', addressLines: ['Αθήνα'] },
      customer: { name: 'Иван Петров', email: 'ivan@customer.example' },
      notes: 'Merci, señor Müller — ¡gracias!',
    })

    expect(validateInvoice(input)).toEqual([])
  })

  it('accepts a grand total right at the limit', () => {
    const input = invoice({
      items: [
        item({ quantity: 1, unitPrice: '10000000000000.00', taxRate: 0 }),
      ],
    })

    expect(validateInvoice(input)).toEqual([])
  })

  it('reports every problem at once', () => {
    const input = invoice({
      currency: 'ABC',
      issueDate: '2026-02-30',
      items: [item({ quantity: 0.0001, taxRate: 1.234 })],
      notes: 'bell \u0007',
    })

    expect(validateInvoice(input).map((e) => e.field)).toEqual([
      '/currency',
      '/items/0/quantity',
      '/items/0/taxRate',
      '/issueDate',
      '/notes',
    ])
  })
})

describe('isCalendarDate', () => {
  it.each(['2024-02-29', '2026-12-31', '2026-01-01'])('accepts %s', (date) => {
    expect(isCalendarDate(date)).toBe(true)
  })

  it.each(['2026-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-1-1'])(
    'rejects %s',
    (date) => {
      expect(isCalendarDate(date)).toBe(false)
    },
  )
})
