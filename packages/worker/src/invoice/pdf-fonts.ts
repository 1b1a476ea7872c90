/**
 * Chooses and embeds the invoice fonts. Text that fits WinAnsi uses the
 * standard Helvetica fonts every PDF reader has, so nothing is embedded and
 * rendering is fast; anything else uses DejaVu Sans (free, Bitstream Vera
 * licence), embedded as a subset with only the glyphs the invoice uses.
 */
import fontkit from '@pdf-lib/fontkit'
import { fitsStandardFont, loadInvoiceFonts } from '@invoice-jobs/shared'
import { StandardFonts, type PDFDocument, type PDFFont } from 'pdf-lib'

/** The two weights an invoice is drawn with. */
export interface InvoiceFonts {
  readonly regular: PDFFont
  readonly bold: PDFFont
  /** True when DejaVu Sans is embedded. */
  readonly embedded: boolean
}

/**
 * Embeds the fonts able to draw every one of `texts` into `doc`. The TTF
 * bytes are read once per process (see `loadInvoiceFonts`).
 */
export async function embedInvoiceFonts(
  doc: PDFDocument,
  texts: readonly string[],
): Promise<InvoiceFonts> {
  if (fitsStandardFont(texts)) {
    const [regular, bold] = await Promise.all([
      doc.embedFont(StandardFonts.Helvetica),
      doc.embedFont(StandardFonts.HelveticaBold),
    ])
    return { regular, bold, embedded: false }
  }

  const bytes = loadInvoiceFonts()
  doc.registerFontkit(fontkit)
  const [regular, bold] = await Promise.all([
    doc.embedFont(bytes.regular, { subset: true }),
    doc.embedFont(bytes.bold, { subset: true }),
  ])
  return { regular, bold, embedded: true }
}
