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
  let width = 0
  for (const char of word) {
    const charWidth = measure(char)
    if (piece !== '' && width + charWidth > maxWidth) {
      pieces.push(piece)
      piece = char
      width = charWidth
    } else {
      piece += char
      width += charWidth
    }
  }
  pieces.push(piece)
  return pieces
}

/**
 * Wraps text to lines no wider than `maxWidth`, breaking at spaces and,
 * for a word longer than a line, inside the word. Each "\n" starts a new
 * line and empty lines are kept, so notes keep their paragraphs.
 *
 * A line's width is taken as the sum of its words and spaces. Measuring
 * with an embedded font shapes the text, which is slow, so each word is
 * measured once instead of every growing candidate line; kerning across
 * a space only makes the real line narrower.
 */
export function wrapText(
  text: string,
  maxWidth: number,
  measure: MeasureText,
): string[] {
  const space = measure(' ')
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    let width = 0
    for (const word of paragraph.split(' ')) {
      const wordWidth = measure(word)
      const joined = line === '' ? wordWidth : width + space + wordWidth
      if (joined <= maxWidth) {
        line = line === '' ? word : `${line} ${word}`
        width = joined
        continue
      }

      if (line !== '') lines.push(line)
      const pieces =
        wordWidth <= maxWidth ? [word] : breakWord(word, maxWidth, measure)
      lines.push(...pieces.slice(0, -1))
      line = pieces.at(-1) ?? ''
      width = pieces.length === 1 ? wordWidth : measure(line)
    }
    lines.push(line)
  }
  return lines
}
