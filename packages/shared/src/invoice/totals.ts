/**
 * Invoice totals in exact integer arithmetic.
 *
 * Rounding rule (also in docs/money.md):
 * - line total = quantity × unit price, rounded half away from zero to the
 *   currency's minor unit;
 * - tax per rate = (sum of the line totals with that rate) × rate, rounded
 *   half away from zero once per rate, never per line;
 * - subtotal = sum of the line totals;
 * - grand total = subtotal + sum of the taxes.
 * An item without a tax rate is taxed at 0 %.
 */
import type { InvoiceRequest } from '../schemas/invoice.js'
import { minorUnitsOf } from './currencies.js'
import {
  QUANTITY_DECIMALS,
  TAX_RATE_DECIMALS,
  formatDecimal,
  formatDecimalTrimmed,
  parseAmount,
  parseQuantity,
  parseTaxRate,
} from './money.js'

/**
 * Largest grand total accepted, in minor units. It keeps every amount a
 * safe JavaScript integer for stores and clients that read JSON numbers.
 */
export const MAX_TOTAL_MINOR_UNITS = 10n ** 15n

const QUANTITY_SCALE = 10n ** BigInt(QUANTITY_DECIMALS)
// Rates are percent with 2 decimals, so 100 % is 10 000 hundredths.
const RATE_SCALE = 100n * 10n ** BigInt(TAX_RATE_DECIMALS)

/** One invoice line, every number scaled to an integer. */
export interface LineTotal {
  /** Quantity in thousandths: 1.5 is 1500n. */
  readonly quantity: bigint
  /** Unit price in minor units. */
  readonly unitPrice: bigint
  /** Tax rate in hundredths of a percent: 19 % is 1900n. */
  readonly taxRate: bigint
  /** Quantity × unit price in minor units, rounded per the module rule. */
  readonly total: bigint
}

/** The tax owed at one rate. */
export interface TaxGroup {
  /** Tax rate in hundredths of a percent. */
  readonly rate: bigint
  /** Sum of the line totals with this rate, in minor units. */
  readonly base: bigint
  /** Base × rate, rounded once, in minor units. */
  readonly tax: bigint
}

/** Totals of an invoice; amounts in minor units of `currency`. */
export interface InvoiceTotals {
  readonly currency: string
  readonly minorUnits: number
  readonly lines: readonly LineTotal[]
  readonly subtotal: bigint
  /** One group per distinct rate, lowest rate first. */
  readonly taxes: readonly TaxGroup[]
  readonly total: bigint
}

/**
 * Divides and rounds half away from zero: 5 / 2 is 3, -5 / 2 is -3.
 * BigInt division truncates toward zero, so the remainder decides.
 */
export function divideRoundingHalfAway(
  numerator: bigint,
  divisor: bigint,
): bigint {
  const quotient = numerator / divisor
  const remainder = numerator % divisor
  const twice = 2n * (remainder < 0n ? -remainder : remainder)
  if (twice < (divisor < 0n ? -divisor : divisor)) return quotient

  const negative = numerator < 0n !== divisor < 0n
  return negative ? quotient - 1n : quotient + 1n
}

/**
 * Computes line totals, subtotal, tax per rate and grand total.
 *
 * Call it on a request that passed `validateInvoice`; it does not check
 * the total limit.
 *
 * @throws RangeError (or MoneyFormatError) on an unknown currency or on a
 *   number with more decimals than allowed.
 */
export function computeTotals(input: InvoiceRequest): InvoiceTotals {
  const minorUnits = minorUnitsOf(input.currency)

  const lines = input.items.map((item): LineTotal => {
    const quantity = parseQuantity(item.quantity)
    const unitPrice = parseAmount(item.unitPrice, input.currency)
    const taxRate = parseTaxRate(item.taxRate ?? 0)
    const total = divideRoundingHalfAway(quantity * unitPrice, QUANTITY_SCALE)
    return { quantity, unitPrice, taxRate, total }
  })

  const bases = new Map<bigint, bigint>()
  for (const line of lines) {
    bases.set(line.taxRate, (bases.get(line.taxRate) ?? 0n) + line.total)
  }
  const taxes = [...bases.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([rate, base]) => ({
      rate,
      base,
      tax: divideRoundingHalfAway(base * rate, RATE_SCALE),
    }))

  const subtotal = lines.reduce((sum, line) => sum + line.total, 0n)
  const total = taxes.reduce((sum, group) => sum + group.tax, subtotal)
  return { currency: input.currency, minorUnits, lines, subtotal, taxes, total }
}

/** {@link InvoiceTotals} with every number as a decimal string. */
export interface SerializedTotals {
  currency: string
  lines: {
    quantity: string
    unitPrice: string
    taxRate: string
    total: string
  }[]
  subtotal: string
  taxes: { rate: string; base: string; tax: string }[]
  total: string
}

/**
 * Turns totals into JSON-safe decimal strings ("19.99", rate "7.5"), since
 * JSON.stringify refuses bigint.
 */
export function serializeTotals(totals: InvoiceTotals): SerializedTotals {
  const money = (minor: bigint) => formatDecimal(minor, totals.minorUnits)
  const rate = (value: bigint) => formatDecimalTrimmed(value, TAX_RATE_DECIMALS)

  return {
    currency: totals.currency,
    lines: totals.lines.map((line) => ({
      quantity: formatDecimalTrimmed(line.quantity, QUANTITY_DECIMALS),
      unitPrice: money(line.unitPrice),
      taxRate: rate(line.taxRate),
      total: money(line.total),
    })),
    subtotal: money(totals.subtotal),
    taxes: totals.taxes.map((group) => ({
      rate: rate(group.rate),
      base: money(group.base),
      tax: money(group.tax),
    })),
    total: money(totals.total),
  }
}
