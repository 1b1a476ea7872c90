/**
 * The invoice font: DejaVu Sans and DejaVu Sans Bold from the
 * `dejavu-fonts-ttf` package. DejaVu is free software under the Bitstream
 * Vera licence (with the DejaVu changes in the public domain), so it may be
 * embedded in every PDF we produce. It covers Latin, Greek, Cyrillic and
 * more, which is why validation checks text against it.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/**
 * Absolute paths of the TTF files, resolved through Node's resolver when
 * first asked for, so that importing this package never fails on them.
 */
export function invoiceFontPaths(): { regular: string; bold: string } {
  return {
    regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  }
}

/** The raw TTF bytes of both weights. */
export interface InvoiceFontBytes {
  readonly regular: Uint8Array
  readonly bold: Uint8Array
}

let cached: InvoiceFontBytes | undefined

/**
 * Returns the font bytes, reading the files on the first call only. Callers
 * must not modify the arrays: they are shared by the whole process.
 */
export function loadInvoiceFonts(): InvoiceFontBytes {
  if (cached === undefined) {
    const paths = invoiceFontPaths()
    cached = {
      regular: readFileSync(paths.regular),
      bold: readFileSync(paths.bold),
    }
  }
  return cached
}
