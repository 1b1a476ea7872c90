import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  MoneyFormatError,
  formatAmount,
  formatDecimal,
  formatDecimalTrimmed,
  formatMoney,
  formatScaled,
  parseAmount,
  parseDecimal,
  parseQuantity,
  parseTaxRate,
} from '../../src/invoice/money.js'

describe('parseDecimal and formatDecimal', () => {
  it('round-trip any scaled integer', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 6 }),
        (value, decimals) => {
          const text = formatDecimal(value, decimals)
          expect(parseDecimal(text, decimals)).toBe(value)
        },
      ),
    )
  })

  it('round-trip any decimal text written with the full decimals', () => {
    const decimalText = fc
      .tuple(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 4 }),
      )
      .map(([value, decimals]) => ({
        decimals,
        text: formatDecimal(value, decimals),
      }))
    fc.assert(
      fc.property(decimalText, ({ text, decimals }) => {
        expect(formatDecimal(parseDecimal(text, decimals), decimals)).toBe(text)
      }),
    )
  })

  it('pads missing decimals: "12.5" with 2 decimals is 1250', () => {
    expect(parseDecimal('12.5', 2)).toBe(1250n)
    expect(parseDecimal('7', 3)).toBe(7000n)
  })

  it('formats small and negative values with a leading zero', () => {
    expect(formatDecimal(5n, 2)).toBe('0.05')
    expect(formatDecimal(-5n, 3)).toBe('-0.005')
    expect(formatDecimal(42n, 0)).toBe('42')
  })

  it('trims trailing zeros on request', () => {
    expect(formatDecimalTrimmed(1500n, 3)).toBe('1.5')
    expect(formatDecimalTrimmed(2000n, 3)).toBe('2')
    expect(formatDecimalTrimmed(20n, 0)).toBe('20')
  })

  it.each(['', '1.', '.5', '1,5', '1e3', ' 1', '0x10', '--1'])(
    'rejects %j',
    (text) => {
      expect(() => parseDecimal(text, 2)).toThrow(MoneyFormatError)
    },
  )
})

describe('parseAmount', () => {
  it('reads minor units of the currency', () => {
    expect(parseAmount('19.99', 'EUR')).toBe(1999n)
    expect(parseAmount('500', 'JPY')).toBe(500n)
    expect(parseAmount('1.234', 'BHD')).toBe(1234n)
  })

  it('rejects more decimals than the currency has', () => {
    expect(() => parseAmount('10.005', 'EUR')).toThrow(/at most 2/)
    expect(() => parseAmount('10.5', 'JPY')).toThrow(/at most 0/)
  })

  it('formats back to a plain decimal text', () => {
    expect(formatAmount(1999n, 'EUR')).toBe('19.99')
    expect(formatAmount(1234n, 'BHD')).toBe('1.234')
  })
})

describe('parseQuantity and parseTaxRate', () => {
  it('read a quantity in thousandths', () => {
    expect(parseQuantity(1.5)).toBe(1500n)
    expect(parseQuantity(0.001)).toBe(1n)
    expect(parseQuantity(1_000_000_000)).toBe(1_000_000_000_000n)
  })

  it('reject float noise, exponent forms and extra decimals', () => {
    expect(() => parseQuantity(0.1 + 0.2)).toThrow(MoneyFormatError)
    expect(() => parseQuantity(1e-7)).toThrow(/not a plain decimal/)
    expect(() => parseQuantity(1e21)).toThrow(/not a plain decimal/)
    expect(() => parseQuantity(Number.NaN)).toThrow(MoneyFormatError)
    expect(() => parseQuantity(0.0005)).toThrow(/at most 3/)
  })

  it('read a tax rate in hundredths of a percent', () => {
    expect(parseTaxRate(19)).toBe(1900n)
    expect(parseTaxRate(7.25)).toBe(725n)
    expect(() => parseTaxRate(7.125)).toThrow(/at most 2/)
  })

  it('agree with the decimal text of every 3-decimal quantity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000_000_000 }), (milli) => {
        const quantity = Number(formatDecimal(BigInt(milli), 3))
        expect(parseQuantity(quantity)).toBe(BigInt(milli))
      }),
    )
  })
})

describe('formatMoney', () => {
  it('groups digits and names the currency by code', () => {
    expect(formatMoney(123456789n, 'EUR')).toBe('EUR\u00a01,234,567.89')
  })

  it('keeps every digit of amounts beyond float precision', () => {
    expect(formatMoney(123456789012345678n, 'EUR', { display: 'none' })).toBe(
      '1,234,567,890,123,456.78',
    )
  })

  it('uses the ISO minor unit of the currency', () => {
    expect(formatMoney(1234n, 'JPY', { display: 'symbol' })).toBe('¥1,234')
    expect(formatMoney(1234567n, 'BHD', { display: 'none' })).toBe('1,234.567')
    expect(formatMoney(5n, 'CLF', { display: 'none' })).toBe('0.0005')
  })

  it('follows the locale for separators', () => {
    expect(
      formatMoney(123456n, 'EUR', { locale: 'de-DE', display: 'none' }),
    ).toBe('1.234,56')
  })

  it('formats quantities without trailing zeros', () => {
    expect(formatScaled(1234500n, 3)).toBe('1,234.5')
    expect(formatScaled(1n, 3)).toBe('0.001')
  })
})
