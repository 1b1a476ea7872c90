/** Wraps a bare tag in quotes, as HTTP wants; keeps `W/` and quotes. */
export function toEtag(tag: string): string {
  return /^(W\/)?".*"$/.test(tag) ? tag : `"${tag}"`
}

function opaque(etag: string): string {
  return etag.replace(/^W\//, '')
}

/**
 * Whether `If-None-Match` matches `etag`. Uses the weak comparison that
 * RFC 9110 §13.1.2 prescribes for this header.
 */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  if (header.trim() === '*') return true

  const wanted = opaque(etag)
  return header.split(',').some((tag) => opaque(tag.trim()) === wanted)
}

/**
 * Whether `If-Range` still names the representation we have. RFC 9110
 * §13.1.5 requires a strong match; dates never match because we send no
 * Last-Modified.
 */
export function ifRangeMatches(
  header: string | undefined,
  etag: string,
): boolean {
  if (header === undefined) return true
  if (header.startsWith('W/') || etag.startsWith('W/')) return false

  return header.trim() === etag
}
