import type { Color, PDFFont, PDFPage } from 'pdf-lib'
import { INK, MIN_NUMBER_SIZE } from './layout.js'

// Widths at size 1 per font and text. Measuring with an embedded font runs
// the shaper, and an invoice measures the same strings ("19%", "Item")
// again and again. Fonts belong to one document, so the cache dies with it.
const unitWidths = new WeakMap<PDFFont, Map<string, number>>()

/** `font.widthOfTextAtSize`, remembered per font and text. */
export function textWidth(font: PDFFont, text: string, size: number): number {
  let widths = unitWidths.get(font)
  if (widths === undefined) {
    widths = new Map()
    unitWidths.set(font, widths)
  }
  let unit = widths.get(text)
  if (unit === undefined) {
    unit = font.widthOfTextAtSize(text, 1)
    widths.set(text, unit)
  }
  return unit * size
}

/** Where and how {@link drawAligned} places one line of text. */
export interface TextPlacement {
  /** Left edge of the box the text is aligned in. */
  x: number
  /** Baseline. */
  y: number
  /** Box width; right-aligned text ends at x + width. */
  width: number
  font: PDFFont
  size: number
  align?: 'left' | 'right' | 'center'
  color?: Color
}

/** Draws one line of text left-, right- or centre-aligned in a box. */
export function drawAligned(
  page: PDFPage,
  text: string,
  place: TextPlacement,
): void {
  const width = textWidth(place.font, text, place.size)
  const align = place.align ?? 'left'
  const x =
    align === 'left'
      ? place.x
      : align === 'right'
        ? place.x + place.width - width
        : place.x + (place.width - width) / 2

  page.drawText(text, {
    x,
    y: place.y,
    size: place.size,
    font: place.font,
    color: place.color ?? INK,
  })
}

/**
 * The largest size up to `size` at which `text` fits `width`. Numbers are
 * never wrapped, because a split amount is easy to misread, so a very long
 * one is drawn smaller instead.
 */
export function sizeToFit(
  text: string,
  font: PDFFont,
  size: number,
  width: number,
): number {
  const natural = textWidth(font, text, size)
  if (natural <= width) return size
  return Math.max(MIN_NUMBER_SIZE, (size * width) / natural)
}
