import { describe, expect, it } from 'vitest'
import { parseRange } from '../../src/http/byte-range.js'

describe('parseRange', () => {
  it.each([
    ['bytes=0-0', { start: 0, end: 0 }],
    ['bytes=10-19', { start: 10, end: 19 }],
    ['bytes=90-', { start: 90, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=-500', { start: 0, end: 99 }],
    ['bytes=50-5000', { start: 50, end: 99 }],
  ])('reads %s of 100 bytes as %o', (header, range) => {
    expect(parseRange(header, 100)).toEqual({ kind: 'range', range })
  })

  it.each(['bytes=100-', 'bytes=100-200', 'bytes=-0'])(
    'finds %s unsatisfiable for 100 bytes',
    (header) => {
      expect(parseRange(header, 100)).toEqual({ kind: 'unsatisfiable' })
    },
  )

  it.each([
    undefined,
    'bytes=0-9,20-29',
    'items=0-9',
    'bytes=9-0',
    'bytes=-',
    'bytes=a-b',
  ])('ignores %s and sends the whole body', (header) => {
    expect(parseRange(header, 100)).toEqual({ kind: 'none' })
  })
})
