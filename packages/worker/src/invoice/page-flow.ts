import type { PDFDocument, PDFPage } from 'pdf-lib'
import {
  CONTENT_BOTTOM,
  MARGIN_TOP,
  PAGE_HEIGHT,
  PAGE_WIDTH,
} from './layout.js'

/**
 * A cursor that moves down the page and starts a new page when the next
 * block would run into the footer. `onNewPage` lets a section redraw what
 * must head every page, such as the table header.
 */
export class PageFlow {
  page: PDFPage
  /** Baseline area still free starts here, measured from the bottom. */
  y: number
  onNewPage: ((flow: PageFlow) => void) | undefined

  constructor(private readonly doc: PDFDocument) {
    this.page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT])
    this.y = PAGE_HEIGHT - MARGIN_TOP
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensure(height: number): void {
    if (this.y - height >= CONTENT_BOTTOM) return
    this.newPage()
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE_WIDTH, PAGE_HEIGHT])
    this.y = PAGE_HEIGHT - MARGIN_TOP
    this.onNewPage?.(this)
  }
}
