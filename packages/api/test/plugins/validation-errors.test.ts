import type { FastifySchemaValidationError } from 'fastify'
import { describe, expect, it } from 'vitest'
import {
  MAX_FIELD_ERRORS,
  toFieldErrors,
} from '../../src/plugins/validation-errors.js'

function ajvError(
  instancePath: string,
  params: Record<string, unknown> = {},
  message = 'is wrong',
): FastifySchemaValidationError {
  return { keyword: 'x', instancePath, schemaPath: '#', params, message }
}

describe('toFieldErrors', () => {
  it('points at a missing or unexpected property, escaping its name', () => {
    const fields = toFieldErrors(
      [
        ajvError('/seller', { missingProperty: 'name' }),
        ajvError('', { additionalProperty: 'a/b~c' }),
        ajvError('/items/0/quantity'),
      ],
      'body',
    )

    expect(fields.map((f) => f.field)).toEqual([
      '/seller/name',
      '/a~1b~0c',
      '/items/0/quantity',
    ])
  })

  it('prefixes fields outside the body with their part', () => {
    const fields = toFieldErrors([ajvError('/id')], 'params')

    expect(fields).toEqual([{ field: '/params/id', message: 'is wrong' }])
  })

  it('drops repeats and stops at the cap', () => {
    const errors = Array.from({ length: MAX_FIELD_ERRORS + 50 }, (_, i) =>
      ajvError(`/items/${i}/unitPrice`),
    )
    errors.unshift(ajvError('/items/0/unitPrice'))

    const fields = toFieldErrors(errors, 'body')

    expect(fields).toHaveLength(MAX_FIELD_ERRORS)
    expect(fields[1]?.field).toBe('/items/1/unitPrice')
  })
})
