import { data, publishDate } from 'currency-codes'

/**
 * Codes whose ISO 4217 minor unit is "N.A.": precious metals, bond-market
 * units, the SDR, the testing code and "no currency". The package reports
 * them with 0 digits, which would silently accept them as real currencies.
 */
const NO_MINOR_UNIT = new Set([
  'XAG',
  'XAU',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XPD',
  'XPT',
  'XSU',
  'XTS',
  'XUA',
  'XXX',
])

/** One currency an invoice may be written in. */
export interface Currency {
  /** ISO 4217 alphabetic code, e.g. `EUR`. */
  readonly code: string
  /** Digits after the decimal point of the minor unit: EUR 2, JPY 0. */
  readonly minorUnits: number
  /** English name from the ISO list. */
  readonly name: string
}

const byCode: ReadonlyMap<string, Currency> = new Map(
  data
    .filter((entry) => !NO_MINOR_UNIT.has(entry.code))
    .map((entry) => [
      entry.code,
      { code: entry.code, minorUnits: entry.digits, name: entry.currency },
    ]),
)

/** Publication date of the ISO 4217 list the table comes from. */
export const CURRENCY_LIST_DATE: string = publishDate

/** The currency with this exact (upper-case) code, or undefined. */
export function findCurrency(code: string): Currency | undefined {
  return byCode.get(code)
}

/** Every accepted currency code, sorted. */
export function currencyCodes(): string[] {
  return [...byCode.keys()].sort()
}

/**
 * Minor-unit digits of a currency.
 *
 * @throws RangeError when the code is not an accepted ISO 4217 currency.
 */
export function minorUnitsOf(code: string): number {
  const currency = byCode.get(code)
  if (currency === undefined) {
    throw new RangeError(`unknown currency code "${code}"`)
  }
  return currency.minorUnits
}
