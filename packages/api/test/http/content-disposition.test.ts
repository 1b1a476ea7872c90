import { describe, expect, it } from 'vitest'
import { parse } from 'content-disposition'
import {
  asciiFileName,
  attachmentHeader,
} from '../../src/http/content-disposition.js'

describe('attachmentHeader', () => {
  it('quotes an ASCII name and adds nothing else', () => {
    expect(attachmentHeader('INV-2026-000042.pdf')).toBe(
      'attachment; filename="INV-2026-000042.pdf"',
    )
  })

  it('adds filename* for a name outside ASCII', () => {
    const header = attachmentHeader('Größe №7.pdf')

    expect(header).toBe(
      `attachment; filename="Gro_e No7.pdf"; filename*=UTF-8''Gr%C3%B6%C3%9Fe%20%E2%84%967.pdf`,
    )
    expect(parse(header).parameters.filename).toBe('Größe №7.pdf')
  })

  it('never lets a quote or backslash end the quoted name', () => {
    const header = attachmentHeader('a"b\\c.pdf')

    expect(header).toMatch(/^attachment; filename="a_b_c\.pdf"; filename\*=/)
    expect(parse(header).parameters.filename).toBe('a"b\\c.pdf')
  })
})

describe('asciiFileName', () => {
  it('drops accents and replaces what has no ASCII form', () => {
    expect(asciiFileName('Café 🧾.pdf')).toBe('Cafe __.pdf')
  })
})
