import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  currencyCodes,
  findCurrency,
  minorUnitsOf,
} from '../../src/invoice/currencies.js'

const require = createRequire(import.meta.url)

// The ISO list one XML the package ships, read independently of its data.
function isoCodesWithoutMinorUnit(): string[] {
  const root = dirname(require.resolve('currency-codes/package.json'))
  const xml = readFileSync(join(root, 'iso-4217-list-one.xml'), 'utf8')
  const entries = xml.split('<CcyNtry>').slice(1)
  return entries
    .filter((entry) => /<CcyMnrUnts>N\.A\.<\/CcyMnrUnts>/.test(entry))
    .map((entry) => /<Ccy>([A-Z]{3})<\/Ccy>/.exec(entry)?.[1] ?? '')
}

describe('currencies', () => {
  it.each([
    ['EUR', 2],
    ['USD', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['BHD', 3],
    ['KWD', 3],
    ['CLF', 4],
  ])('gives %s %i minor-unit digits', (code, digits) => {
    expect(minorUnitsOf(code)).toBe(digits)
  })

  it.each(['XAU', 'XAG', 'XTS', 'XXX', 'XDR'])(
    'does not accept %s, which has no minor unit',
    (code) => {
      expect(findCurrency(code)).toBeUndefined()
    },
  )

  it('excludes every code the ISO list marks N.A.', () => {
    const withoutMinorUnit = isoCodesWithoutMinorUnit()

    expect(withoutMinorUnit.length).toBeGreaterThan(5)
    for (const code of withoutMinorUnit) {
      expect(findCurrency(code), code).toBeUndefined()
    }
  })

  it('lists well over a hundred sorted codes', () => {
    const codes = currencyCodes()

    expect(codes.length).toBeGreaterThan(140)
    expect([...codes].sort()).toEqual(codes)
    expect(codes).toContain('EUR')
  })

  it('rejects unknown and lower-case codes with a RangeError', () => {
    expect(() => minorUnitsOf('ABC')).toThrow(RangeError)
    expect(findCurrency('eur')).toBeUndefined()
  })
})
