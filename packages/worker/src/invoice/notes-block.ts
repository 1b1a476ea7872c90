import { textWidth } from './draw-text.js'
import {
  CONTENT_WIDTH,
  LINE_HEIGHT,
  MARGIN_X,
  MUTED,
  SMALL_SIZE,
  TEXT_SIZE,
} from './layout.js'
import type { PageFlow } from './page-flow.js'
import type { InvoiceFonts } from './pdf-fonts.js'
import { wrapText } from './text-wrap.js'

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
