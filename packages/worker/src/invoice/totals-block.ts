import { drawAligned, sizeToFit } from './draw-text.js'
import type { InvoiceView } from './invoice-view.js'
import {
  CONTENT_RIGHT,
  LINE_HEIGHT,
  RULE,
  SECTION_GAP,
  TEXT_SIZE,
} from './layout.js'
import type { PageFlow } from './page-flow.js'
import type { InvoiceFonts } from './pdf-fonts.js'

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
