import { describe, expect, it } from 'vitest'
import { ifRangeMatches, noneMatch, toEtag } from '../../src/http/etag.js'

describe('toEtag', () => {
  it('quotes a bare tag and keeps a quoted or weak one', () => {
    expect(toEtag('abc')).toBe('"abc"')
    expect(toEtag('"abc"')).toBe('"abc"')
    expect(toEtag('W/"abc"')).toBe('W/"abc"')
  })
})

describe('noneMatch', () => {
  it('matches weakly, in a list, and for *', () => {
    expect(noneMatch('W/"a"', '"a"')).toBe(true)
    expect(noneMatch('"x", "a"', 'W/"a"')).toBe(true)
    expect(noneMatch('*', '"a"')).toBe(true)
    expect(noneMatch('"b"', '"a"')).toBe(false)
    expect(noneMatch(undefined, '"a"')).toBe(false)
  })
})

describe('ifRangeMatches', () => {
  it('needs a strong match and refuses dates', () => {
    expect(ifRangeMatches(undefined, '"a"')).toBe(true)
    expect(ifRangeMatches('"a"', '"a"')).toBe(true)
    expect(ifRangeMatches('W/"a"', '"a"')).toBe(false)
    expect(ifRangeMatches('"b"', '"a"')).toBe(false)
    expect(ifRangeMatches('Tue, 01 Dec 2026 10:00:00 GMT', '"a"')).toBe(false)
  })
})
