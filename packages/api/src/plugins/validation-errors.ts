import type { FastifySchemaValidationError } from 'fastify'
import type { FieldError } from '@invoice-jobs/shared'

/** Clients get this many field errors at most; the rest adds no help. */
export const MAX_FIELD_ERRORS = 100

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1')
}

/**
 * Where an ajv error points. ajv reports a missing or unexpected property
 * on its parent object, so the property's name is appended to reach it.
 */
function pointerOf(error: FastifySchemaValidationError): string {
  const params = error.params as Record<string, unknown>
  const child = params.missingProperty ?? params.additionalProperty
  if (typeof child !== 'string') return error.instancePath

  return `${error.instancePath}/${escapePointerToken(child)}`
}

/**
 * Turns ajv errors into field errors. Body errors point into the body
 * (`/items/0/quantity`); errors in other parts are prefixed with the
 * part (`/params/id`, `/headers/idempotency-key`).
 */
export function toFieldErrors(
  errors: FastifySchemaValidationError[],
  context: string | undefined,
): FieldError[] {
  const prefix = context && context !== 'body' ? `/${context}` : ''
  const seen = new Set<string>()
  const fields: FieldError[] = []

  for (const error of errors) {
    const field = prefix + pointerOf(error)
    const message = error.message ?? 'is not valid'
    const key = `${field}\u0000${message}`
    if (seen.has(key)) continue

    seen.add(key)
    fields.push({ field, message })
    if (fields.length === MAX_FIELD_ERRORS) break
  }

  return fields
}
