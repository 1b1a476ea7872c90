import type { ByteRange } from '@invoice-jobs/shared'

/**
 * What a `Range` header asks of a body of `size` bytes:
 * - `none`: send the whole body (no header, another unit, bad syntax, or
 *   several ranges, which we answer whole rather than as multipart);
 * - `range`: one satisfiable range, clipped to the body;
 * - `unsatisfiable`: 416.
 */
export type RangeRequest =
  | { kind: 'none' }
  | { kind: 'range'; range: ByteRange }
  | { kind: 'unsatisfiable' }

const SINGLE = /^bytes=(\d*)-(\d*)$/

/** Parses a `Range` header (RFC 9110 §14.2) against a body's size. */
export function parseRange(
  header: string | undefined,
  size: number,
): RangeRequest {
  if (header === undefined) return { kind: 'none' }

  const match = SINGLE.exec(header.trim())
  if (!match) return { kind: 'none' }

  const [, first = '', last = ''] = match
  if (first === '' && last === '') return { kind: 'none' }

  if (first === '') {
    // A suffix: the last n bytes.
    const length = Number(last)
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' }
    return {
      kind: 'range',
      range: { start: Math.max(0, size - length), end: size - 1 },
    }
  }

  const start = Number(first)
  if (last !== '' && Number(last) < start) return { kind: 'none' }
  if (start >= size) return { kind: 'unsatisfiable' }

  const end = last === '' ? size - 1 : Number(last)

  return { kind: 'range', range: { start, end: Math.min(end, size - 1) } }
}
