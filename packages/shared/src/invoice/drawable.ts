/**
 * Which characters an invoice can show. Text is drawn with DejaVu Sans (see
 * fonts.ts) unless it all fits the PDF standard Helvetica, whose WinAnsi
 * encoding needs no embedded font.
 */
// The package is a UMD bundle: Node sees only a default export.
import fontkit, { type Font } from '@pdf-lib/fontkit'
import { loadInvoiceFonts } from './fonts.js'

let faces: readonly Font[] | undefined

// Parsing both faces takes tens of milliseconds, so it happens once.
function invoiceFaces(): readonly Font[] {
  if (faces === undefined) {
    const bytes = loadInvoiceFonts()
    faces = [fontkit.create(bytes.regular), fontkit.create(bytes.bold)]
  }
  return faces
}

/**
 * Parses the fonts now rather than on the first validation, so a service
 * can pay that cost at startup.
 */
export function preloadDrawableCheck(): void {
  invoiceFaces()
}

const NEWLINE = 0x0a
const CARRIAGE_RETURN = 0x0d

function isControl(codePoint: number): boolean {
  return codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)
}

/** Options for {@link undrawableCharacters}. */
export interface DrawableOptions {
  /**
   * Accept line breaks, "\n" and the "\r" of Windows' "\r\n" (notes keep
   * their line breaks). @defaultValue false
   */
  allowNewline?: boolean
}

/**
 * The distinct characters of `text` the invoice cannot draw, in order of
 * first appearance: control characters (other than an allowed newline) and
 * characters missing from DejaVu Sans or DejaVu Sans Bold.
 */
export function undrawableCharacters(
  text: string,
  options: DrawableOptions = {},
): string[] {
  const found = new Set<string>()
  for (const char of text) {
    if (found.has(char)) continue

    const codePoint = char.codePointAt(0) ?? 0
    const lineBreak = codePoint === NEWLINE || codePoint === CARRIAGE_RETURN
    if (lineBreak && options.allowNewline === true) continue

    const drawable =
      !isControl(codePoint) &&
      invoiceFaces().every((face) => face.hasGlyphForCodePoint(codePoint))
    if (!drawable) found.add(char)
  }
  return [...found]
}

// Windows-1252 positions 0x80-0x9F that hold printable characters; the rest
// of WinAnsi is printable ASCII and Latin-1 (U+00A0-U+00FF).
const WIN_ANSI_EXTRA = new Set(
  Array.from('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ', (char) => char.codePointAt(0)),
)

function isWinAnsi(codePoint: number): boolean {
  return (
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0xff) ||
    WIN_ANSI_EXTRA.has(codePoint)
  )
}

/**
 * True when every character of every text is encodable in WinAnsi, so the
 * PDF can use the standard Helvetica fonts and embed nothing. Newlines are
 * accepted because the renderer splits lines before drawing.
 */
export function fitsStandardFont(texts: readonly string[]): boolean {
  return texts.every((text) => {
    for (const char of text) {
      const codePoint = char.codePointAt(0) ?? 0
      if (codePoint !== NEWLINE && !isWinAnsi(codePoint)) return false
    }
    return true
  })
}

/**
 * Describes characters for a message: `"中" (U+4E2D)`, and only the code
 * for control characters, which would be invisible or break the line.
 */
export function describeCharacters(chars: readonly string[]): string {
  return chars
    .map((char) => {
      const codePoint = char.codePointAt(0) ?? 0
      const code = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`
      const printable = !isControl(codePoint) && !/\p{Cs}/u.test(char)
      return printable ? `"${char}" (${code})` : code
    })
    .join(', ')
}
