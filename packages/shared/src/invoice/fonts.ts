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

/** Absolute paths of the TTF files, resolved through Node's resolver. */
export const invoiceFontPaths = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const

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
  cached ??= {
    regular: readFileSync(invoiceFontPaths.regular),
    bold: readFileSync(invoiceFontPaths.bold),
  }
  return cached
}
