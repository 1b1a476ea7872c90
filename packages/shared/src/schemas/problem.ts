import { Type, type Static } from '@sinclair/typebox'

export const FieldError = Type.Object({
  field: Type.String({ description: 'JSON pointer into the request' }),
  message: Type.String(),
})
export type FieldError = Static<typeof FieldError>

/** RFC 9457 problem details, with a stable machine-readable `code`. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(FieldError)),
    jobStatus: Type.Optional(Type.String()),
  },
  { $id: 'Problem' },
)
export type Problem = Static<typeof Problem>
