import { Type, type Static } from '@sinclair/typebox'

/**
 * A decimal amount as a string, so that no binary floating point ever
 * touches money. The number of decimals allowed depends on the currency and
 * is checked after the schema (see `invoice/validate.ts`).
 */
export const DecimalString = Type.String({
  pattern: '^(0|[1-9][0-9]{0,14})(\\.[0-9]{1,4})?$',
  description: 'Non-negative decimal, e.g. "1250.50"',
  examples: ['19.99'],
})

const Text = (maxLength: number, minLength = 1) =>
  Type.String({ minLength, maxLength })

export const Email = Type.String({ format: 'email', maxLength: 254 })

export const AddressLines = Type.Array(Text(200), { minItems: 1, maxItems: 6 })

export const Seller = Type.Object(
  {
    name: Text(200),
    addressLines: AddressLines,
    taxId: Type.Optional(Text(50)),
    email: Type.Optional(Email),
  },
  { additionalProperties: false },
)

export const Customer = Type.Object(
  {
    name: Text(200),
    email: Email,
    addressLines: Type.Optional(AddressLines),
  },
  { additionalProperties: false },
)

export const InvoiceItem = Type.Object(
  {
    description: Text(500),
    quantity: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1_000_000_000,
      description: 'Greater than 0, at most 3 decimals',
    }),
    unitPrice: DecimalString,
    taxRate: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 100,
        description: 'Percent, at most 2 decimals',
      }),
    ),
  },
  { additionalProperties: false },
)

export const MAX_INVOICE_ITEMS = 1000

export const InvoiceRequest = Type.Object(
  {
    invoiceNumber: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$',
        description: 'Generated when absent; unique per owner',
      }),
    ),
    currency: Type.String({
      pattern: '^[A-Z]{3}$',
      description: 'ISO 4217 code',
      examples: ['EUR'],
    }),
    issueDate: Type.String({ format: 'date' }),
    dueDate: Type.String({
      format: 'date',
      description: 'Not before issueDate',
    }),
    seller: Seller,
    customer: Customer,
    items: Type.Array(InvoiceItem, {
      minItems: 1,
      maxItems: MAX_INVOICE_ITEMS,
    }),
    notes: Type.Optional(Text(2000, 0)),
  },
  { additionalProperties: false, $id: 'InvoiceRequest' },
)

export type InvoiceRequest = Static<typeof InvoiceRequest>
export type InvoiceItem = Static<typeof InvoiceItem>
