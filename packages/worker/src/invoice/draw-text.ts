import type { Color, PDFFont, PDFPage } from 'pdf-lib'
import { INK, MIN_NUMBER_SIZE } from './layout.js'

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
  const textWidth = place.font.widthOfTextAtSize(text, place.size)
  const align = place.align ?? 'left'
  const x =
    align === 'left'
      ? place.x
      : align === 'right'
        ? place.x + place.width - textWidth
        : place.x + (place.width - textWidth) / 2

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
  const natural = font.widthOfTextAtSize(text, size)
  if (natural <= width) return size
  return Math.max(MIN_NUMBER_SIZE, (size * width) / natural)
}
