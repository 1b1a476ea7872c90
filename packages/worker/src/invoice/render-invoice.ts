/**
 * Renders an invoice to an A4 PDF with pdf-lib. The request must have
 * passed `validateInvoice`: the renderer trusts its numbers and characters.
 */
import { computeTotals, type InvoiceRequest } from '@invoice-jobs/shared'
import { PDFDocument } from 'pdf-lib'
import { drawHeading, drawParties } from './heading.js'
import { buildInvoiceView, viewTexts } from './invoice-view.js'
import { drawNotes } from './notes-block.js'
import { PageFlow } from './page-flow.js'
import { drawFooters } from './page-footer.js'
import { embedInvoiceFonts } from './pdf-fonts.js'
import { drawItemRow, drawTableHeader, tableStartHeight } from './table.js'
import { drawTotals } from './totals-block.js'

/** Options for {@link renderInvoicePdf}. */
export interface RenderInvoiceOptions {
  /**
   * Creation date written in the PDF metadata. Fixing it makes the output
   * byte-for-byte repeatable. @defaultValue the current time
   */
  now?: Date
}

/** Software named as the PDF producer. */
export const PDF_PRODUCER = 'invoice-jobs'

/**
 * Renders the invoice: heading with number and dates, seller and customer,
 * the items table (header repeated on every page), subtotal, tax per rate,
 * grand total, notes and "Page x of y" on each page.
 */
export async function renderInvoicePdf(
  input: InvoiceRequest & { invoiceNumber: string },
  options: RenderInvoiceOptions = {},
): Promise<Uint8Array> {
  const view = buildInvoiceView(input, computeTotals(input))
  const now = options.now ?? new Date()

  // Metadata is set explicitly so that pdf-lib does not stamp its own.
  const doc = await PDFDocument.create({ updateMetadata: false })
  doc.setTitle(`Invoice ${view.invoiceNumber}`)
  doc.setProducer(PDF_PRODUCER)
  doc.setCreator(PDF_PRODUCER)
  doc.setCreationDate(now)
  doc.setModificationDate(now)
  doc.setLanguage('en')

  const fonts = await embedInvoiceFonts(doc, viewTexts(view))
  const flow = new PageFlow(doc)
  drawHeading(flow, fonts, view)
  drawParties(flow, fonts, view)

  flow.ensure(tableStartHeight())
  drawTableHeader(flow, fonts)
  flow.onNewPage = () => drawTableHeader(flow, fonts)
  for (const row of view.rows) drawItemRow(flow, fonts, row)
  flow.onNewPage = undefined

  drawTotals(flow, fonts, view)
  if (view.notes !== undefined) drawNotes(flow, fonts, view.notes)
  drawFooters(doc, fonts, view.invoiceNumber)

  return doc.save()
}
