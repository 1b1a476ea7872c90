/**
 * Exact decimal arithmetic for invoices. Every amount is an integer count of
 * some smallest unit held in a `bigint`: money in the currency's minor unit,
 * quantities in thousandths, tax rates in hundredths of a percent. Binary
 * floating point never holds an amount, because 0.1 + 0.2 is not 0.3.
 */
import { minorUnitsOf } from './currencies.js'

/** Decimals a quantity may have; quantities are held in thousandths. */
export const QUANTITY_DECIMALS = 3
/** Decimals a tax rate (in percent) may have; held in hundredths. */
export const TAX_RATE_DECIMALS = 2

/** A decimal text that cannot become an exact scaled integer. */
export class MoneyFormatError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'MoneyFormatError'
  }
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/

/**
 * Parses a plain decimal text ("12.5", "-3", "0.125") to an integer scaled
 * by 10^decimals, so "12.5" with 2 decimals is 1250n.
 *
 * @throws MoneyFormatError on anything but plain digits with an optional
 *   sign and point, or on more decimals than allowed.
 */
export function parseDecimal(text: string, decimals: number): bigint {
  const match = DECIMAL.exec(text)
  if (match === null) {
    throw new MoneyFormatError(`"${text}" is not a plain decimal number`)
  }

  const [, sign, whole = '', fraction = ''] = match
  if (fraction.length > decimals) {
    throw new MoneyFormatError(
      `"${text}" has ${fraction.length} decimals; at most ${decimals} allowed`,
    )
  }

  const digits = whole + fraction.padEnd(decimals, '0')
  const value = BigInt(digits)
  return sign === '-' ? -value : value
}

/**
 * Formats an integer scaled by 10^decimals back to a decimal text with
 * exactly that many decimals: (1250n, 2) is "12.50".
 */
export function formatDecimal(value: bigint, decimals: number): string {
  const negative = value < 0n
  const digits = (negative ? -value : value)
    .toString()
    .padStart(decimals + 1, '0')
  const cut = digits.length - decimals
  const whole = digits.slice(0, cut)
  const text = decimals === 0 ? whole : `${whole}.${digits.slice(cut)}`
  return negative ? `-${text}` : text
}

/** Like {@link formatDecimal} but without trailing zeros: "1.5", "2". */
export function formatDecimalTrimmed(value: bigint, decimals: number): string {
  const text = formatDecimal(value, decimals)
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text
}

/**
 * Parses a money amount to minor units of the currency: "19.99" EUR is
 * 1999n, "500" JPY is 500n.
 *
 * @throws MoneyFormatError when it has more decimals than the currency's
 *   minor unit; RangeError when the currency is unknown.
 */
export function parseAmount(text: string, currency: string): bigint {
  return parseDecimal(text, minorUnitsOf(currency))
}

/** Formats minor units as a plain decimal text: 1999n EUR is "19.99". */
export function formatAmount(minor: bigint, currency: string): string {
  return formatDecimal(minor, minorUnitsOf(currency))
}

/**
 * Converts a JSON number to its decimal text the way JavaScript prints it,
 * refusing exponent forms, which only appear for values far outside what an
 * invoice holds (or for float noise).
 */
function numberText(value: number, what: string): string {
  const text = String(value)
  if (!Number.isFinite(value) || /e/i.test(text)) {
    throw new MoneyFormatError(`${what} ${text} is not a plain decimal number`)
  }
  return text
}

/**
 * Converts a quantity (a JSON number) to thousandths: 1.5 is 1500n.
 *
 * @throws MoneyFormatError on more than 3 decimals or an exponent form.
 */
export function parseQuantity(value: number): bigint {
  return parseDecimal(numberText(value, 'quantity'), QUANTITY_DECIMALS)
}

/**
 * Converts a tax rate in percent (a JSON number) to hundredths of a
 * percent: 19 is 1900n, 7.25 is 725n.
 *
 * @throws MoneyFormatError on more than 2 decimals or an exponent form.
 */
export function parseTaxRate(value: number): bigint {
  return parseDecimal(numberText(value, 'tax rate'), TAX_RATE_DECIMALS)
}

/** How {@link formatMoney} names the currency. */
export type CurrencyDisplay = 'code' | 'symbol' | 'none'

/** Options for {@link formatMoney}. */
export interface FormatMoneyOptions {
  /** BCP 47 locale for grouping and separators. @defaultValue `'en-US'` */
  locale?: string
  /**
   * `code` ("EUR 1,234.50"), `symbol` ("€1,234.50") or `none` ("1,234.50").
   * @defaultValue `'code'`
   */
  display?: CurrencyDisplay
}

// Building a formatter costs far more than using one, and a 1000-line
// invoice formats thousands of amounts. Keys are few: locale × currency.
const formatters = new Map<string, Intl.NumberFormat>()

/**
 * Formats minor units for people, with grouping and the currency. The
 * number reaches Intl.NumberFormat as a decimal string, so no digit is lost
 * to floating point, and the fraction digits come from ISO 4217 rather
 * than from CLDR, which disagrees for a few currencies.
 */
export function formatMoney(
  minor: bigint,
  currency: string,
  options: FormatMoneyOptions = {},
): string {
  const digits = minorUnitsOf(currency)
  const locale = options.locale ?? 'en-US'
  const display = options.display ?? 'code'
  const key = `${locale} ${currency} ${display}`
  let format = formatters.get(key)
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, {
      ...(display === 'none'
        ? { style: 'decimal' }
        : { style: 'currency', currency, currencyDisplay: display }),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })
    formatters.set(key, format)
  }
  return format.format(formatDecimal(minor, digits) as `${number}`)
}

/**
 * Formats a value scaled by 10^decimals for people, with grouping and no
 * trailing zeros: (1234500n, 3) is "1,234.5".
 */
export function formatScaled(
  value: bigint,
  decimals: number,
  locale = 'en-US',
): string {
  const key = `${locale} ${decimals}`
  let format = formatters.get(key)
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: decimals })
    formatters.set(key, format)
  }
  return format.format(formatDecimal(value, decimals) as `${number}`)
}
