/**
 * The parts of the invoice around the table: heading, parties, totals,
 * notes and the page footers.
 */
import type { PDFDocument } from 'pdf-lib'
import { drawAligned, sizeToFit, textWidth } from './draw-text.js'
import type { InvoiceView, PartyView } from './invoice-view.js'
import {
  CONTENT_RIGHT,
  CONTENT_WIDTH,
  FOOTER_Y,
  LINE_HEIGHT,
  MARGIN_X,
  MUTED,
  RULE,
  SMALL_SIZE,
  TEXT_SIZE,
  TITLE_SIZE,
} from './layout.js'
import type { PageFlow } from './page-flow.js'
import type { InvoiceFonts } from './pdf-fonts.js'
import { wrapText } from './text-wrap.js'

const SECTION_GAP = 22

/** Draws the title and the number and dates block on the right. */
export function drawHeading(
  flow: PageFlow,
  fonts: InvoiceFonts,
  view: InvoiceView,
): void {
  const top = flow.y
  flow.page.drawText('Invoice', {
    x: MARGIN_X,
    y: top - TITLE_SIZE,
    size: TITLE_SIZE,
    font: fonts.bold,
  })

  const facts = [
    ['Invoice number', view.invoiceNumber],
    ['Issue date', view.issueDate],
    ['Due date', view.dueDate],
  ] as const
  const valueWidth = 170
  const valueX = CONTENT_RIGHT - valueWidth
  facts.forEach(([label, value], index) => {
    const y = top - TEXT_SIZE - index * LINE_HEIGHT
    drawAligned(flow.page, label, {
      x: valueX - 100,
      y,
      width: 92,
      font: fonts.regular,
      size: SMALL_SIZE,
      align: 'right',
      color: MUTED,
    })
    drawAligned(flow.page, value, {
      x: valueX,
      y,
      width: valueWidth,
      font: fonts.bold,
      size: sizeToFit(value, fonts.bold, TEXT_SIZE, valueWidth),
      align: 'right',
    })
  })

  flow.y = top - Math.max(TITLE_SIZE, facts.length * LINE_HEIGHT) - SECTION_GAP
}

function drawParty(
  flow: PageFlow,
  fonts: InvoiceFonts,
  party: PartyView,
  x: number,
  width: number,
): number {
  let y = flow.y - SMALL_SIZE
  flow.page.drawText(party.heading, {
    x,
    y,
    size: SMALL_SIZE,
    font: fonts.bold,
    color: MUTED,
  })

  const measureBold = (text: string) => textWidth(fonts.bold, text, TEXT_SIZE)
  const measure = (text: string) => textWidth(fonts.regular, text, TEXT_SIZE)
  const lines = [
    ...wrapText(party.name, width, measureBold).map((text) => ({
      text,
      font: fonts.bold,
    })),
    ...party.lines.flatMap((line) =>
      wrapText(line, width, measure).map((text) => ({
        text,
        font: fonts.regular,
      })),
    ),
  ]
  for (const line of lines) {
    y -= LINE_HEIGHT
    flow.page.drawText(line.text, { x, y, size: TEXT_SIZE, font: line.font })
  }
  return y
}

/** Draws the seller and customer side by side. */
export function drawParties(
  flow: PageFlow,
  fonts: InvoiceFonts,
  view: InvoiceView,
): void {
  const gutter = 30
  const width = (CONTENT_WIDTH - gutter) / 2
  const sellerBottom = drawParty(flow, fonts, view.seller, MARGIN_X, width)
  const customerBottom = drawParty(
    flow,
    fonts,
    view.customer,
    MARGIN_X + width + gutter,
    width,
  )
  flow.y = Math.min(sellerBottom, customerBottom) - SECTION_GAP

  flow.page.drawText(view.currencyNote, {
    x: MARGIN_X,
    y: flow.y,
    size: SMALL_SIZE,
    font: fonts.regular,
    color: MUTED,
  })
  flow.y -= LINE_HEIGHT / 2
}

/** Draws subtotal, tax per rate and total, right-aligned under the table. */
export function drawTotals(
  flow: PageFlow,
  fonts: InvoiceFonts,
  view: InvoiceView,
): void {
  const blockWidth = 300
  const x = CONTENT_RIGHT - blockWidth
  flow.y -= LINE_HEIGHT / 2
  // Keep at least the subtotal and one more line with the table's end.
  flow.ensure(2 * LINE_HEIGHT)

  for (const line of view.totals) {
    const font = line.strong ? fonts.bold : fonts.regular
    if (line.strong) {
      // The rule sits below the descenders of the line above it.
      flow.ensure(LINE_HEIGHT + 6)
      flow.page.drawLine({
        start: { x, y: flow.y - 4.5 },
        end: { x: CONTENT_RIGHT, y: flow.y - 4.5 },
        thickness: 0.6,
        color: RULE,
      })
      flow.y -= 6
    }
    flow.ensure(LINE_HEIGHT)
    flow.y -= LINE_HEIGHT
    drawAligned(flow.page, line.label, {
      x,
      y: flow.y,
      width: blockWidth / 2,
      font,
      size: sizeToFit(line.label, font, TEXT_SIZE, blockWidth / 2 - 6),
    })
    drawAligned(flow.page, line.value, {
      x: x + blockWidth / 2,
      y: flow.y,
      width: blockWidth / 2,
      font,
      size: sizeToFit(line.value, font, TEXT_SIZE, blockWidth / 2),
      align: 'right',
    })
  }
  flow.y -= SECTION_GAP
}

/** Draws the notes, wrapped to the page width with their line breaks. */
export function drawNotes(
  flow: PageFlow,
  fonts: InvoiceFonts,
  notes: string,
): void {
  flow.ensure(2 * LINE_HEIGHT)
  flow.y -= SMALL_SIZE
  flow.page.drawText('Notes', {
    x: MARGIN_X,
    y: flow.y,
    size: SMALL_SIZE,
    font: fonts.bold,
    color: MUTED,
  })

  const lines = wrapText(notes, CONTENT_WIDTH, (text) =>
    textWidth(fonts.regular, text, TEXT_SIZE),
  )
  for (const line of lines) {
    flow.ensure(LINE_HEIGHT)
    flow.y -= LINE_HEIGHT
    flow.page.drawText(line, {
      x: MARGIN_X,
      y: flow.y,
      size: TEXT_SIZE,
      font: fonts.regular,
    })
  }
}

/** Writes "Page x of y" and the invoice number at the foot of each page. */
export function drawFooters(
  doc: PDFDocument,
  fonts: InvoiceFonts,
  invoiceNumber: string,
): void {
  const pages = doc.getPages()
  pages.forEach((page, index) => {
    const footer = { y: FOOTER_Y, width: CONTENT_WIDTH, size: SMALL_SIZE }
    drawAligned(page, `Page ${index + 1} of ${pages.length}`, {
      ...footer,
      x: MARGIN_X,
      font: fonts.regular,
      align: 'right',
      color: MUTED,
    })
    drawAligned(page, `Invoice ${invoiceNumber}`, {
      ...footer,
      x: MARGIN_X,
      font: fonts.regular,
      color: MUTED,
      size: sizeToFit(
        `Invoice ${invoiceNumber}`,
        fonts.regular,
        SMALL_SIZE,
        300,
      ),
    })
  })
}
