import { Type } from '@sinclair/typebox'

/**
 * Headers `POST /invoices` reads. The idempotency key is opaque to us but
 * bounded, so it can be stored and indexed, and printable, so it can be
 * logged.
 */
export const SubmitHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 8,
      maxLength: 255,
      pattern: '^[A-Za-z0-9._~:-]+$',
      description:
        'Retries with the same key and body return the same job (8–255 of A-Z a-z 0-9 . _ ~ : -)',
    }),
  ),
  traceparent: Type.Optional(
    Type.String({ description: 'W3C trace context; ignored when malformed' }),
  ),
})
