import type { PDFDocument } from 'pdf-lib'
import { drawAligned, sizeToFit } from './draw-text.js'
import {
  CONTENT_WIDTH,
  FOOTER_Y,
  MARGIN_X,
  MUTED,
  SMALL_SIZE,
} from './layout.js'
import type { InvoiceFonts } from './pdf-fonts.js'

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
