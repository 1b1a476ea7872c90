import { fitsStandardFont } from '@invoice-jobs/shared'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { embedInvoiceFonts } from '../../src/invoice/pdf-fonts.js'

describe('embedInvoiceFonts', () => {
  it('chooses Helvetica exactly for characters pdf-lib can encode in it', async () => {
    const doc = await PDFDocument.create()
    const helvetica = await doc.embedFont(StandardFonts.Helvetica)
    const encodable = (char: string) => {
      try {
        helvetica.widthOfTextAtSize(char, 10)
        return true
      } catch {
        return false
      }
    }

    const mismatches: string[] = []
    for (let codePoint = 0; codePoint <= 0xffff; codePoint += 1) {
      const isSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff
      if (isSurrogate || codePoint === 0x0a) continue
      const char = String.fromCodePoint(codePoint)
      if (fitsStandardFont([char]) !== encodable(char)) {
        mismatches.push(codePoint.toString(16))
      }
    }

    expect(mismatches).toEqual([])
  })

  it('embeds DejaVu Sans when a text needs it', async () => {
    const doc = await PDFDocument.create()

    const fonts = await embedInvoiceFonts(doc, ['Latin', 'Кириллица'])

    expect(fonts.embedded).toBe(true)
    expect(fonts.regular.name).toMatch(/DejaVuSans$/)
    expect(fonts.bold.name).toMatch(/DejaVuSans-Bold$/)
  })

  it('embeds nothing for WinAnsi text', async () => {
    const doc = await PDFDocument.create()

    const fonts = await embedInvoiceFonts(doc, ['Grüße', '€ 10 – “ok”'])

    expect(fonts.embedded).toBe(false)
    expect(fonts.regular.name).toBe('Helvetica')
  })
})
