/** Measures the width of a text in points at the size being drawn. */
export type MeasureText = (text: string) => number

// Splits a word wider than the line at character boundaries.
function breakWord(
  word: string,
  maxWidth: number,
  measure: MeasureText,
): string[] {
  const pieces: string[] = []
  let piece = ''
  for (const char of word) {
    if (piece !== '' && measure(piece + char) > maxWidth) {
      pieces.push(piece)
      piece = char
    } else {
      piece += char
    }
  }
  pieces.push(piece)
  return pieces
}

/**
 * Wraps text to lines no wider than `maxWidth`, breaking at spaces and,
 * for a word longer than a line, inside the word. Each "\n" starts a new
 * line and empty lines are kept, so notes keep their paragraphs.
 */
export function wrapText(
  text: string,
  maxWidth: number,
  measure: MeasureText,
): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`
      if (measure(candidate) <= maxWidth) {
        line = candidate
        continue
      }

      if (line !== '') lines.push(line)
      const pieces = breakWord(word, maxWidth, measure)
      lines.push(...pieces.slice(0, -1))
      line = pieces.at(-1) ?? ''
    }
    lines.push(line)
  }
  return lines
}
