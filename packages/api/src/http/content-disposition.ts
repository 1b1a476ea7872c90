import { encodeExtended } from 'content-disposition'

/**
 * The ASCII stand-in for clients that ignore `filename*`: accents are
 * dropped ("é" → "e"), compatibility forms spelled out ("№" → "No"), and
 * anything else outside printable ASCII, or a quote or backslash, becomes
 * "_".
 */
export function asciiFileName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_')
}

/**
 * `Content-Disposition: attachment` naming `fileName`: always a quoted
 * ASCII `filename`, plus the exact name as RFC 8187 `filename*` when the
 * two differ (RFC 6266 §4.3).
 */
export function attachmentHeader(fileName: string): string {
  const fallback = asciiFileName(fileName)
  const header = `attachment; filename="${fallback}"`
  if (fallback === fileName) return header

  return `${header}; filename*=${encodeExtended(fileName)}`
}
