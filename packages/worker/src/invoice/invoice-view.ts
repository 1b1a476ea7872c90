/**
 * Everything the invoice shows, already formatted as text. Separating the
 * wording from the drawing lets the font choice see every string first.
 */
import {
  QUANTITY_DECIMALS,
  TAX_RATE_DECIMALS,
  findCurrency,
  formatDecimalTrimmed,
  formatMoney,
  formatScaled,
  type InvoiceRequest,
  type InvoiceTotals,
} from '@invoice-jobs/shared'
import type { ItemRow } from './table.js'

/** One line of the totals block. */
export interface TotalLine {
  label: string
  value: string
  strong: boolean
}

/** A party block: a bold name followed by plain lines. */
export interface PartyView {
  heading: string
  name: string
  lines: string[]
}

/** The formatted content of an invoice. */
export interface InvoiceView {
  invoiceNumber: string
  issueDate: string
  dueDate: string
  seller: PartyView
  customer: PartyView
  currencyNote: string
  rows: ItemRow[]
  totals: TotalLine[]
  notes: string | undefined
}

/** Builds the view of a validated invoice and its computed totals. */
export function buildInvoiceView(
  input: InvoiceRequest & { invoiceNumber: string },
  totals: InvoiceTotals,
): InvoiceView {
  const { currency } = input
  const plain = (minor: bigint) =>
    formatMoney(minor, currency, { display: 'none' })
  const withCode = (minor: bigint) => formatMoney(minor, currency)
  const percent = (rate: bigint) =>
    `${formatDecimalTrimmed(rate, TAX_RATE_DECIMALS)}%`
  const currencyName = findCurrency(currency)?.name ?? currency

  const rows = input.items.map((item, index): ItemRow => {
    const line = totals.lines[index]
    if (line === undefined) throw new Error('totals do not match the items')
    return {
      description: item.description,
      quantity: formatScaled(line.quantity, QUANTITY_DECIMALS),
      unitPrice: plain(line.unitPrice),
      taxRate: percent(line.taxRate),
      total: plain(line.total),
    }
  })

  return {
    invoiceNumber: input.invoiceNumber,
    issueDate: input.issueDate,
    dueDate: input.dueDate,
    seller: {
      heading: 'From',
      name: input.seller.name,
      lines: [
        ...input.seller.addressLines,
        ...(input.seller.taxId ? [`Tax ID: ${input.seller.taxId}`] : []),
        ...(input.seller.email ? [input.seller.email] : []),
      ],
    },
    customer: {
      heading: 'Bill to',
      name: input.customer.name,
      lines: [...(input.customer.addressLines ?? []), input.customer.email],
    },
    currencyNote: `Amounts in ${currency} (${currencyName})`,
    rows,
    totals: [
      { label: 'Subtotal', value: withCode(totals.subtotal), strong: false },
      ...totals.taxes.map((group) => ({
        label: `Tax ${percent(group.rate)} on ${plain(group.base)}`,
        value: withCode(group.tax),
        strong: false,
      })),
      { label: 'Total', value: withCode(totals.total), strong: true },
    ],
    notes:
      input.notes === '' ? undefined : input.notes?.replace(/\r\n?/g, '\n'),
  }
}

/** Every string of the view, for choosing a font that can draw them. */
export function viewTexts(view: InvoiceView): string[] {
  return [
    view.invoiceNumber,
    view.issueDate,
    view.dueDate,
    view.seller.name,
    ...view.seller.lines,
    view.customer.name,
    ...view.customer.lines,
    view.currencyNote,
    ...view.rows.flatMap((row) => Object.values(row)),
    ...view.totals.flatMap((line) => [line.label, line.value]),
    view.notes ?? '',
  ]
}
