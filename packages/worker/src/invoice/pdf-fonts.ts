/**
 * Chooses and embeds the invoice fonts. Text that fits WinAnsi uses the
 * standard Helvetica fonts every PDF reader has, so nothing is embedded and
 * rendering is fast; anything else uses DejaVu Sans (free, Bitstream Vera
 * licence), embedded as a subset with only the glyphs the invoice uses.
 */
import fontkit from '@pdf-lib/fontkit'
import { fitsStandardFont, loadInvoiceFonts } from '@invoice-jobs/shared'
import { StandardFonts, type PDFDocument, type PDFFont } from 'pdf-lib'

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0]

const parsed = new WeakMap<Uint8Array, ReturnType<Fontkit['create']>>()

/**
 * fontkit, except that each font file is parsed once per process, not once
 * per document: parsing DejaVu Sans is most of the cost of a small
 * Cyrillic invoice. pdf-lib only reads the parsed font and subsets it
 * into a new object per document, so sharing it is safe.
 */
const cachingFontkit: Fontkit = {
  create(bytes, postscriptName) {
    if (postscriptName !== undefined) {
      return fontkit.create(bytes, postscriptName)
    }
    let font = parsed.get(bytes)
    if (font === undefined) {
      font = fontkit.create(bytes)
      parsed.set(bytes, font)
    }
    return font
  },
}

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
  doc.registerFontkit(cachingFontkit)
  const [regular, bold] = await Promise.all([
    doc.embedFont(bytes.regular, { subset: true }),
    doc.embedFont(bytes.bold, { subset: true }),
  ])
  return { regular, bold, embedded: true }
}
