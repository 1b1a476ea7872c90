import { PDFDict, PDFDocument, PDFName, PDFRef, type PDFObject } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { renderInvoicePdf } from '../../src/invoice/render-invoice.js'
import { readPdfText, readPdfTextItems } from '../support/read-pdf-text.js'
import {
  cyrillicInvoice,
  latinInvoice,
  manyLineInvoice,
} from './invoice-fixture.js'

const HEADER = 'Description Qty Unit price Tax Amount'
// pdf.js measures standard fonts with its own metrics, a little wider.
const RIGHT_EDGE = 545.28 + 2
// The description column ends where the quantity column starts.
const DESCRIPTION_RIGHT_EDGE = 545.28 - 285
const now = new Date('2026-03-01T09:30:00Z')

interface FontInfo {
  baseFont: string
  embedded: boolean
}

// Lists the PDF's font dictionaries and whether each carries a font file.
async function fontsOf(bytes: Uint8Array): Promise<FontInfo[]> {
  const doc = await PDFDocument.load(bytes)
  const lookup = (value: PDFObject | undefined) =>
    value instanceof PDFRef ? doc.context.lookup(value) : value
  const fonts: FontInfo[] = []

  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict)) continue
    if (object.get(PDFName.of('Type')) !== PDFName.of('Font')) continue
    const descendants = lookup(object.get(PDFName.of('DescendantFonts')))
    if (descendants !== undefined) continue

    const descriptor = lookup(object.get(PDFName.of('FontDescriptor')))
    const embedded =
      descriptor instanceof PDFDict &&
      ['FontFile', 'FontFile2', 'FontFile3'].some(
        (key) => descriptor.get(PDFName.of(key)) !== undefined,
      )
    const baseFont = object.get(PDFName.of('BaseFont'))
    fonts.push({ baseFont: String(baseFont).slice(1), embedded })
  }
  return fonts
}

describe('renderInvoicePdf', () => {
  it('shows the number, dates, parties, lines and totals', async () => {
    const { text, pageCount } = await readPdfText(
      await renderInvoicePdf(latinInvoice(), { now }),
    )

    expect(pageCount).toBe(1)
    expect(text).toContain('INV-2026-0042')
    expect(text).toContain('Issue date 2026-03-01')
    expect(text).toContain('Due date 2026-03-31')
    expect(text).toContain('Acme Tools GmbH\nHauptstraße 1\n10115 Berlin')
    expect(text).toContain('Tax ID: DE123456789\nbilling@acme.example')
    expect(text).toContain('Example Customer Ltd\n1 High Street\nBristol')
    expect(text).toContain('Consulting 1.5 1,200.00 19% 1,800.00')
    expect(text).toContain('Travel 1 80.50 7% 80.50')
    expect(text).toContain('Subtotal EUR 1,880.50')
    expect(text).toContain('Tax 7% on 80.50 EUR 5.64')
    expect(text).toContain('Tax 19% on 1,800.00 EUR 342.00')
    expect(text).toContain('Total EUR 2,228.14')
    expect(text).toContain('Page 1 of 1')
  })

  it('draws Greek and Cyrillic names', async () => {
    const { text } = await readPdfText(
      await renderInvoicePdf(cyrillicInvoice(), { now }),
    )

    expect(text).toContain('Ελληνική Εταιρεία Α.Ε.')
    expect(text).toContain('Αθήνα 10564')
    expect(text).toContain('Иван Петров')
    expect(text).toContain('ул. Тверская, 7')
    expect(text).toContain('Total EUR 2,228.14')
  })

  it('formats amounts with the digits of the currency', async () => {
    const input = latinInvoice({
      currency: 'JPY',
      items: [
        { description: 'Tea', quantity: 3, unitPrice: '1500', taxRate: 8 },
      ],
    })

    const { text } = await readPdfText(await renderInvoicePdf(input, { now }))

    expect(text).toContain('Amounts in JPY (Yen)')
    expect(text).toContain('3 1,500 8% 4,500')
    expect(text).toContain('Total JPY 4,860')
  })

  it('wraps a long description and keeps the line breaks of the notes', async () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`)
    const input = latinInvoice({
      items: [{ description: words.join(' '), quantity: 1, unitPrice: '1.00' }],
      notes: 'First paragraph.\nSecond line of the notes.',
    })

    const { text } = await readPdfText(await renderInvoicePdf(input, { now }))
    const descriptionLines = text
      .split('\n')
      .filter((line) => line.startsWith('word'))

    expect(descriptionLines.length).toBeGreaterThan(3)
    expect(descriptionLines.join(' ').split(' ').slice(0, 60)).toEqual(words)
    expect(text).toContain('Notes\nFirst paragraph.\nSecond line of the notes.')
  })

  it('draws each document with its own glyphs when fonts are reused', async () => {
    const greek = cyrillicInvoice({ notes: 'Αλφα βήτα γάμμα ωμέγα' })

    const first = await renderInvoicePdf(cyrillicInvoice(), { now })
    const other = await renderInvoicePdf(greek, { now })
    const again = await renderInvoicePdf(cyrillicInvoice(), { now })

    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true)
    expect((await readPdfText(other)).text).toContain('Αλφα βήτα γάμμα ωμέγα')
    expect((await readPdfText(again)).text).not.toContain('Αλφα')
  })

  it('breaks the notes at Windows line endings, embedding no font', async () => {
    const input = latinInvoice({ notes: 'First line.\r\nSecond line.' })

    const bytes = await renderInvoicePdf(input, { now })
    const { text } = await readPdfText(bytes)

    expect(text).toContain('Notes\nFirst line.\nSecond line.')
    expect((await fontsOf(bytes)).some((f) => f.embedded)).toBe(false)
  })

  it('spreads 1000 lines over pages, each with the header and its number', async () => {
    const bytes = await renderInvoicePdf(manyLineInvoice(1000), { now })

    const { pages, pageCount, text } = await readPdfText(bytes)

    expect(pageCount).toBeGreaterThan(10)
    pages.forEach((page, index) => {
      expect(page).toContain(HEADER)
      expect(page).toContain(`Page ${index + 1} of ${pageCount}`)
    })
    expect(pages[0]).toContain('Item 1 1 9.99 19% 9.99')
    expect(text).toContain('Item 1000 1 9.99 19% 9.99')
    expect(pages.at(-1)).toContain('Subtotal EUR 9,990.00')
    expect(pages.at(-1)).toContain('Total EUR 11,888.10')
  })

  const longLines = (count: number, description: string) =>
    Array.from({ length: count }, (_, index) => ({
      description: `${description} ${index + 1}`,
      quantity: 12.5,
      unitPrice: '1234567.89',
      taxRate: 19,
    }))

  it.each([
    [
      'Latin',
      latinInvoice({ items: longLines(120, 'Consulting work '.repeat(9)) }),
    ],
    [
      'Cyrillic',
      cyrillicInvoice({ items: longLines(120, 'Консультация '.repeat(9)) }),
    ],
  ])(
    'keeps %s text inside its column, the margins and above the footer',
    async (_script, input) => {
      const pages = await readPdfTextItems(
        await renderInvoicePdf(input, { now }),
      )

      expect(pages.length).toBeGreaterThan(5)
      for (const items of pages) {
        for (const item of items) {
          expect(item.x, item.str).toBeGreaterThanOrEqual(49.9)
          expect(item.x + item.width, item.str).toBeLessThanOrEqual(RIGHT_EDGE)
          if (/^(Consulting|work|Консультация)/.test(item.str)) {
            expect(item.x + item.width, item.str).toBeLessThanOrEqual(
              DESCRIPTION_RIGHT_EDGE,
            )
          }
          const inFooter = /^(Page \d+ of \d+|Invoice INV-2026-0042)$/
          if (!inFooter.test(item.str)) {
            expect(item.y, item.str).toBeGreaterThan(60)
          }
        }
      }
    },
  )

  it('shrinks a very long amount to fit its column', async () => {
    const input = latinInvoice({
      items: [
        {
          description: 'Big',
          quantity: 1,
          unitPrice: '9999999999999.99',
          taxRate: 0,
        },
      ],
    })

    const pages = await readPdfTextItems(await renderInvoicePdf(input, { now }))
    const amounts = pages[0]?.filter((i) => i.str === '9,999,999,999,999.99')

    expect(amounts).toHaveLength(2)
    for (const amount of amounts ?? []) {
      expect(amount.x + amount.width).toBeLessThanOrEqual(RIGHT_EDGE)
    }
  })

  it('uses the standard Helvetica fonts, embedding none, for Latin text', async () => {
    const fonts = await fontsOf(await renderInvoicePdf(latinInvoice(), { now }))

    expect(fonts.map((f) => f.baseFont).sort()).toEqual([
      'Helvetica',
      'Helvetica-Bold',
    ])
    expect(fonts.some((f) => f.embedded)).toBe(false)
  })

  it('embeds DejaVu Sans subsets for Cyrillic text', async () => {
    const fonts = await fontsOf(
      await renderInvoicePdf(cyrillicInvoice(), { now }),
    )

    expect(fonts).toHaveLength(2)
    for (const font of fonts) {
      expect(font.baseFont).toMatch(/^DejaVuSans(-Bold)?-\d+$/)
      expect(font.embedded).toBe(true)
    }
  })

  it('sets the title, producer and creation date', async () => {
    const doc = await PDFDocument.load(
      await renderInvoicePdf(latinInvoice(), { now }),
      { updateMetadata: false },
    )

    expect(doc.getTitle()).toBe('Invoice INV-2026-0042')
    expect(doc.getProducer()).toBe('invoice-jobs')
    expect(doc.getCreationDate()?.toISOString()).toBe(now.toISOString())
    expect(doc.getPageCount()).toBe(1)
    expect(doc.getPage(0).getSize()).toEqual({ width: 595.28, height: 841.89 })
  })

  it('produces the same bytes for the same invoice and date', async () => {
    const first = await renderInvoicePdf(cyrillicInvoice(), { now })
    const second = await renderInvoicePdf(cyrillicInvoice(), { now })

    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true)
  })
})
