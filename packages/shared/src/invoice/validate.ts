/**
 * Semantic checks that a JSON schema cannot express. They run after the
 * TypeBox schema has accepted the request, so shapes and types are known
 * to be right here.
 */
import type { InvoiceRequest } from '../schemas/invoice.js'
import type { FieldError } from '../schemas/problem.js'
import { findCurrency, type Currency } from './currencies.js'
import { describeCharacters, undrawableCharacters } from './drawable.js'
import {
  MoneyFormatError,
  QUANTITY_DECIMALS,
  TAX_RATE_DECIMALS,
  formatDecimal,
  parseDecimal,
  parseQuantity,
  parseTaxRate,
} from './money.js'
import { MAX_TOTAL_MINOR_UNITS, computeTotals } from './totals.js'

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const MAX_LISTED_CHARACTERS = 10

/** True for a real calendar day written YYYY-MM-DD (no 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text)
  if (match === null) return false

  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  // Day 0 of the next month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth
}

function decimalsMessage(error: unknown, allowed: number): string {
  if (error instanceof MoneyFormatError && error.message.includes('decimals')) {
    return `must have at most ${allowed} decimals`
  }
  return error instanceof Error ? error.message : String(error)
}

function checkItems(
  input: InvoiceRequest,
  currency: Currency | undefined,
): FieldError[] {
  const errors: FieldError[] = []
  input.items.forEach((item, index) => {
    const at = `/items/${index}`

    if (currency !== undefined) {
      try {
        parseDecimal(item.unitPrice, currency.minorUnits)
      } catch (error) {
        const message = decimalsMessage(error, currency.minorUnits)
        errors.push({
          field: `${at}/unitPrice`,
          message: `${message} for ${currency.code}`,
        })
      }
    }

    try {
      if (parseQuantity(item.quantity) <= 0n) {
        errors.push({
          field: `${at}/quantity`,
          message: 'must be greater than 0',
        })
      }
    } catch (error) {
      const message = decimalsMessage(error, QUANTITY_DECIMALS)
      errors.push({ field: `${at}/quantity`, message })
    }

    if (item.taxRate !== undefined) {
      try {
        const rate = parseTaxRate(item.taxRate)
        if (rate < 0n || rate > 100n * 10n ** BigInt(TAX_RATE_DECIMALS)) {
          errors.push({
            field: `${at}/taxRate`,
            message: 'must be between 0 and 100',
          })
        }
      } catch (error) {
        const message = decimalsMessage(error, TAX_RATE_DECIMALS)
        errors.push({ field: `${at}/taxRate`, message })
      }
    }
  })
  return errors
}

function checkDates(input: InvoiceRequest): FieldError[] {
  const errors: FieldError[] = []
  const issueValid = isCalendarDate(input.issueDate)
  const dueValid = isCalendarDate(input.dueDate)
  if (!issueValid) {
    errors.push({
      field: '/issueDate',
      message: 'is not a calendar date (YYYY-MM-DD)',
    })
  }
  if (!dueValid) {
    errors.push({
      field: '/dueDate',
      message: 'is not a calendar date (YYYY-MM-DD)',
    })
  }
  // Same-length ISO dates compare correctly as strings.
  if (issueValid && dueValid && input.dueDate < input.issueDate) {
    errors.push({ field: '/dueDate', message: 'must not be before issueDate' })
  }
  return errors
}

/** Every text the PDF draws, with its JSON pointer. */
function drawnTexts(
  input: InvoiceRequest,
): { field: string; text: string; allowNewline?: boolean }[] {
  const { seller, customer } = input
  return [
    { field: '/seller/name', text: seller.name },
    ...seller.addressLines.map((text, index) => ({
      field: `/seller/addressLines/${index}`,
      text,
    })),
    { field: '/seller/taxId', text: seller.taxId ?? '' },
    { field: '/seller/email', text: seller.email ?? '' },
    { field: '/customer/name', text: customer.name },
    { field: '/customer/email', text: customer.email },
    ...(customer.addressLines ?? []).map((text, index) => ({
      field: `/customer/addressLines/${index}`,
      text,
    })),
    ...input.items.map((item, index) => ({
      field: `/items/${index}/description`,
      text: item.description,
    })),
    { field: '/notes', text: input.notes ?? '', allowNewline: true },
  ]
}

function checkTexts(input: InvoiceRequest): FieldError[] {
  const errors: FieldError[] = []
  for (const { field, text, allowNewline } of drawnTexts(input)) {
    const chars = undrawableCharacters(text, { allowNewline })
    if (chars.length > 0) {
      // A whole paragraph in an unsupported script would make a huge message.
      const listed = describeCharacters(chars.slice(0, MAX_LISTED_CHARACTERS))
      const more = chars.length - MAX_LISTED_CHARACTERS
      const message =
        `contains characters the invoice font cannot draw: ${listed}` +
        (more > 0 ? ` and ${more} more` : '')
      errors.push({ field, message })
    }
  }
  return errors
}

/**
 * Checks what the schema cannot: a known ISO 4217 currency, decimals per
 * currency, quantity and tax rate precision, real calendar dates with the
 * due date not before the issue date, text the invoice font can draw and
 * a grand total within {@link MAX_TOTAL_MINOR_UNITS}.
 *
 * Run it after the TypeBox schema accepted `input`.
 *
 * @returns every problem found, each naming its field as a JSON pointer
 *   (`/items/3/unitPrice`); an empty array when the invoice is valid.
 */
export function validateInvoice(input: InvoiceRequest): FieldError[] {
  const currency = findCurrency(input.currency)
  const errors: FieldError[] = []
  if (currency === undefined) {
    errors.push({
      field: '/currency',
      message: `"${input.currency}" is not an ISO 4217 currency code`,
    })
  }

  const itemErrors = checkItems(input, currency)
  errors.push(...itemErrors, ...checkDates(input), ...checkTexts(input))

  // Totals are only meaningful once every amount parsed.
  if (currency !== undefined && itemErrors.length === 0) {
    const { total } = computeTotals(input)
    if (total > MAX_TOTAL_MINOR_UNITS) {
      const limit = formatDecimal(MAX_TOTAL_MINOR_UNITS, currency.minorUnits)
      errors.push({
        field: '/items',
        message: `grand total exceeds the limit of ${limit} ${currency.code}`,
      })
    }
  }
  return errors
}
