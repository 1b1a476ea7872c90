import { describe, expect, it } from 'vitest'
import {
  describeCharacters,
  fitsStandardFont,
  undrawableCharacters,
} from '../../src/invoice/drawable.js'
import { invoiceFontPaths, loadInvoiceFonts } from '../../src/invoice/fonts.js'

describe('undrawableCharacters', () => {
  it('finds nothing in Latin, Greek and Cyrillic text', () => {
    expect(undrawableCharacters('Grüße, Ελλάδα, Россия, € 10')).toEqual([])
  })

  it('lists each missing character once, in order', () => {
    expect(undrawableCharacters('日本 and 日本語')).toEqual(['日', '本', '語'])
  })

  it('treats control characters as undrawable', () => {
    expect(undrawableCharacters('a\tb\u0000c\u0085')).toEqual([
      '\t',
      '\u0000',
      '\u0085',
    ])
  })

  it('accepts a newline only when asked to', () => {
    expect(undrawableCharacters('a\nb')).toEqual(['\n'])
    expect(undrawableCharacters('a\nb', { allowNewline: true })).toEqual([])
  })

  it('rejects a lone surrogate', () => {
    expect(undrawableCharacters('x\ud800y')).toEqual(['\ud800'])
  })
})

describe('describeCharacters', () => {
  it('quotes printable characters and names control ones by code', () => {
    expect(describeCharacters(['中', '\t', '\u{1F9FF}'])).toBe(
      '"中" (U+4E2D), U+0009, "\u{1F9FF}" (U+1F9FF)',
    )
  })
})

describe('fitsStandardFont', () => {
  it('accepts ASCII, Latin-1 and the Windows-1252 extras', () => {
    expect(fitsStandardFont(['Hello', 'Grüße ½ ©', '€ – “quoted” …'])).toBe(
      true,
    )
  })

  it('accepts newlines, which are split before drawing', () => {
    expect(fitsStandardFont(['one\ntwo'])).toBe(true)
  })

  it.each(['Ελλάδα', 'Россия', 'Łódź', 'tab\there'])('rejects %j', (text) => {
    expect(fitsStandardFont(['fine', text])).toBe(false)
  })
})

describe('loadInvoiceFonts', () => {
  it('reads both TrueType files once and reuses them', () => {
    const first = loadInvoiceFonts()
    const second = loadInvoiceFonts()

    expect(invoiceFontPaths().regular).toMatch(/DejaVuSans\.ttf$/)
    expect(second.regular).toBe(first.regular)
    // A TrueType file starts with the version 0x00010000.
    expect([...first.bold.subarray(0, 4)]).toEqual([0, 1, 0, 0])
  })
})
