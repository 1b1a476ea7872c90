import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { minorUnitsOf } from '../../src/invoice/currencies.js'
import { formatDecimal } from '../../src/invoice/money.js'
import {
  computeTotals,
  divideRoundingHalfAway,
  serializeTotals,
} from '../../src/invoice/totals.js'
import type { InvoiceItem } from '../../src/schemas/invoice.js'
import { invoice } from './fixtures.js'

const sum = (values: readonly bigint[]) => values.reduce((a, b) => a + b, 0n)

const arbitraryInvoice = fc
  .constantFrom('EUR', 'JPY', 'BHD', 'CLF')
  .chain((currency) => {
    const digits = minorUnitsOf(currency)
    const item = fc.record({
      description: fc.constant('Item'),
      quantity: fc
        .integer({ min: 1, max: 10_000_000 })
        .map((milli) => Number(formatDecimal(BigInt(milli), 3))),
      unitPrice: fc
        .bigInt({ min: 0n, max: 10n ** 9n })
        .map((minor) => formatDecimal(minor, digits)),
      taxRate: fc.option(
        fc
          .oneof(
            fc.constantFrom(0, 500, 700, 1900, 2000),
            fc.integer({ min: 0, max: 10_000 }),
          )
          .map((hundredths) => Number(formatDecimal(BigInt(hundredths), 2))),
        { nil: undefined },
      ),
    })
    return fc
      .array(item, { minLength: 1, maxLength: 25 })
      .map((items) => invoice({ currency, items: items as InvoiceItem[] }))
  })

describe('computeTotals', () => {
  it('makes the subtotal the sum of the line totals', () => {
    fc.assert(
      fc.property(arbitraryInvoice, (input) => {
        const totals = computeTotals(input)
        expect(totals.subtotal).toBe(sum(totals.lines.map((l) => l.total)))
      }),
    )
  })

  it('makes the grand total the subtotal plus every tax', () => {
    fc.assert(
      fc.property(arbitraryInvoice, (input) => {
        const totals = computeTotals(input)
        expect(totals.total).toBe(
          totals.subtotal + sum(totals.taxes.map((t) => t.tax)),
        )
      }),
    )
  })

  it('groups tax bases by rate, each rate once, lowest first', () => {
    fc.assert(
      fc.property(arbitraryInvoice, (input) => {
        const totals = computeTotals(input)
        const rates = totals.taxes.map((t) => t.rate)

        expect([...rates].sort((a, b) => (a < b ? -1 : 1))).toEqual(rates)
        expect(new Set(rates).size).toBe(rates.length)
        for (const group of totals.taxes) {
          const lines = totals.lines.filter((l) => l.taxRate === group.rate)
          expect(group.base).toBe(sum(lines.map((l) => l.total)))
        }
      }),
    )
  })

  it('rounds each line and each tax half up, as non-negative amounts', () => {
    // Half away from zero is floor(x + 1/2) for x >= 0.
    const roundHalfUp = (numerator: bigint, divisor: bigint) =>
      (2n * numerator + divisor) / (2n * divisor)
    fc.assert(
      fc.property(arbitraryInvoice, (input) => {
        const totals = computeTotals(input)
        for (const line of totals.lines) {
          expect(line.total).toBe(
            roundHalfUp(line.quantity * line.unitPrice, 1000n),
          )
        }
        for (const group of totals.taxes) {
          expect(group.tax).toBe(roundHalfUp(group.base * group.rate, 10_000n))
        }
      }),
    )
  })

  it.each([
    ['EUR', 0.5, '0.01', '0.01'],
    ['EUR', 0.5, '0.03', '0.02'],
    ['EUR', 0.001, '5.00', '0.01'],
    ['EUR', 0.001, '4.99', '0.00'],
    ['JPY', 0.5, '5', '3'],
    ['JPY', 0.5, '3', '2'],
    ['BHD', 0.5, '0.001', '0.001'],
  ])(
    'rounds a half in %s (%d × %s) to %s',
    (currency, quantity, unitPrice, expected) => {
      const input = invoice({
        currency,
        items: [{ description: 'Half', quantity, unitPrice, taxRate: 0 }],
      })

      expect(serializeTotals(computeTotals(input)).lines[0]?.total).toBe(
        expected,
      )
    },
  )

  it('rounds tax once per rate, not once per line', () => {
    // Each line alone would owe 0.005, rounded to 0.01: 0.02 in all.
    const item = {
      description: 'Pen',
      quantity: 1,
      unitPrice: '0.10',
      taxRate: 5,
    }
    const input = invoice({ items: [item, item] })

    const totals = serializeTotals(computeTotals(input))

    expect(totals.taxes).toEqual([{ rate: '5', base: '0.20', tax: '0.01' }])
    expect(totals.total).toBe('0.21')
  })

  it('treats an item without a tax rate as 0 %', () => {
    const input = invoice({
      items: [{ description: 'Book', quantity: 3, unitPrice: '9.99' }],
    })

    expect(serializeTotals(computeTotals(input))).toEqual({
      currency: 'EUR',
      lines: [
        { quantity: '3', unitPrice: '9.99', taxRate: '0', total: '29.97' },
      ],
      subtotal: '29.97',
      taxes: [{ rate: '0', base: '29.97', tax: '0.00' }],
      total: '29.97',
    })
  })

  it('serializes totals into JSON without bigint', () => {
    const input = invoice({
      items: [
        { description: 'A', quantity: 1.5, unitPrice: '10.01', taxRate: 19 },
        { description: 'B', quantity: 3, unitPrice: '0.33', taxRate: 7.5 },
      ],
    })

    const json = JSON.parse(
      JSON.stringify(serializeTotals(computeTotals(input))),
    )

    expect(json.subtotal).toBe('16.01')
    expect(json.taxes).toEqual([
      { rate: '7.5', base: '0.99', tax: '0.07' },
      { rate: '19', base: '15.02', tax: '2.85' },
    ])
    expect(json.total).toBe('18.93')
  })
})

describe('divideRoundingHalfAway', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [5n, -2n, -3n],
    [7n, 3n, 2n],
    [-7n, 3n, -2n],
    [8n, 3n, 3n],
    [0n, 7n, 0n],
  ])('divides %i by %i to %i', (numerator, divisor, expected) => {
    expect(divideRoundingHalfAway(numerator, divisor)).toBe(expected)
  })

  it('lands within half a unit and breaks ties away from zero', () => {
    const nonZero = fc
      .bigInt({ min: -1000n, max: 1000n })
      .filter((d) => d !== 0n)
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        nonZero,
        (n, d) => {
          const q = divideRoundingHalfAway(n, d)
          const error = 2n * (n - q * d)
          const abs = (x: bigint) => (x < 0n ? -x : x)

          expect(abs(error) <= abs(d)).toBe(true)
          if (abs(error) === abs(d)) {
            // A tie: q must be the candidate farther from zero.
            expect(abs(q * d) > abs(n)).toBe(true)
          }
        },
      ),
    )
  })
})
