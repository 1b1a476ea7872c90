/**
 * Reads the text of a PDF back with pdf.js, the way a viewer would see it,
 * so tests check what a reader gets rather than how we drew it.
 */
import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import type {
  PDFDocumentProxy,
  TextItem,
} from 'pdfjs-dist/types/src/display/api.js'

const require = createRequire(import.meta.url)
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'))
// pdf.js loads metrics of the 14 standard fonts from here; without it it
// warns on every Helvetica document. In Node it reads a plain path.
const standardFontDataUrl = join(pdfjsRoot, 'standard_fonts') + sep

/** The text of a PDF: per page, all pages joined, and the page count. */
export interface PdfText {
  pages: string[]
  text: string
  pageCount: number
}

/** One run of text on a page, with its position in PDF points. */
export interface PdfTextItem {
  str: string
  /** Left edge, from the page's left. */
  x: number
  /** Baseline, from the page's bottom. */
  y: number
  width: number
}

async function withDocument<T>(
  bytes: Uint8Array,
  read: (doc: PDFDocumentProxy) => Promise<T>,
): Promise<T> {
  // pdf.js takes ownership of the buffer it is given, so give it a copy.
  const task = getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl,
    verbosity: 0,
    isEvalSupported: false,
  })
  try {
    return await read(await task.promise)
  } finally {
    await task.destroy()
  }
}

async function pageItems(
  doc: PDFDocumentProxy,
  number: number,
): Promise<TextItem[]> {
  const page = await doc.getPage(number)
  const content = await page.getTextContent()
  return content.items.filter((item): item is TextItem => 'str' in item)
}

/**
 * Extracts the text of every page. Text items on one line are separated by
 * one space (runs of spaces collapse) and lines by "\n", so a test can look for a phrase or a line.
 */
export async function readPdfText(bytes: Uint8Array): Promise<PdfText> {
  return withDocument(bytes, async (doc) => {
    const pages: string[] = []
    for (let number = 1; number <= doc.numPages; number += 1) {
      const items = await pageItems(doc, number)
      pages.push(
        items
          .map((item) => item.str + (item.hasEOL ? '\n' : ' '))
          .join('')
          // pdf.js adds its own spacer items between distant runs.
          .replace(/ {2,}/g, ' ')
          .replace(/ +\n/g, '\n')
          .trim(),
      )
    }
    return { pages, text: pages.join('\n'), pageCount: doc.numPages }
  })
}

/**
 * The non-blank text runs of every page with their positions, for checks
 * on layout such as "nothing is drawn outside the margins".
 */
export async function readPdfTextItems(
  bytes: Uint8Array,
): Promise<PdfTextItem[][]> {
  return withDocument(bytes, async (doc) => {
    const pages: PdfTextItem[][] = []
    for (let number = 1; number <= doc.numPages; number += 1) {
      const items = await pageItems(doc, number)
      pages.push(
        items
          .filter((item) => item.str.trim() !== '')
          .map((item) => ({
            str: item.str,
            x: item.transform[4] as number,
            y: item.transform[5] as number,
            width: item.width,
          })),
      )
    }
    return pages
  })
}
