import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { wrapText } from '../../src/invoice/text-wrap.js'

// One point per character keeps widths easy to reason about.
const measure = (text: string) => [...text].length

describe('wrapText', () => {
  it('breaks at spaces', () => {
    expect(wrapText('the quick brown fox', 10, measure)).toEqual([
      'the quick',
      'brown fox',
    ])
  })

  it('breaks a word longer than the line inside the word', () => {
    expect(wrapText('ab abcdefghij', 4, measure)).toEqual([
      'ab',
      'abcd',
      'efgh',
      'ij',
    ])
  })

  it('starts a new line at each newline and keeps empty lines', () => {
    expect(wrapText('one\n\ntwo', 10, measure)).toEqual(['one', '', 'two'])
  })

  it('never exceeds the width and loses no character', () => {
    const text = fc.stringMatching(/^[a-zé\n ]{0,200}$/)
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 40 }), (input, width) => {
        const lines = wrapText(input, width, measure)

        for (const line of lines)
          expect(measure(line)).toBeLessThanOrEqual(width)
        const strip = (s: string) => s.replace(/[\s]/g, '')
        expect(strip(lines.join(''))).toBe(strip(input))
      }),
    )
  })
})
