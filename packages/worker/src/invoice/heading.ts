/** The top of the first page: title, number and dates, the two parties. */
import { drawAligned, sizeToFit, textWidth } from './draw-text.js'
import type { InvoiceView, PartyView } from './invoice-view.js'
import {
  CONTENT_RIGHT,
  CONTENT_WIDTH,
  LINE_HEIGHT,
  MARGIN_X,
  MUTED,
  SECTION_GAP,
  SMALL_SIZE,
  TEXT_SIZE,
  TITLE_SIZE,
} from './layout.js'
import type { PageFlow } from './page-flow.js'
import type { InvoiceFonts } from './pdf-fonts.js'
import { wrapText } from './text-wrap.js'

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
