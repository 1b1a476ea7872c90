import { Type, type Static } from '@sinclair/typebox'

export const JOB_STATUSES = [
  'queued',
  'processing',
  'completed',
  'failed',
  'canceled',
] as const

export const JobStatus = Type.Union(
  JOB_STATUSES.map((s) => Type.Literal(s)),
  { $id: 'JobStatus' },
)
export type JobStatus = (typeof JOB_STATUSES)[number]

export const JobType = Type.Literal('invoice')
export type JobType = Static<typeof JobType>

export const JobId = Type.String({
  format: 'uuid',
  description: 'Job id (UUID)',
})

export const JobParams = Type.Object({ id: JobId })

export const JobError = Type.Object({
  code: Type.String(),
  message: Type.String(),
})
export type JobError = Static<typeof JobError>

export const JobLinks = Type.Object({
  status: Type.String(),
  result: Type.Optional(Type.String()),
})

export const JobAccepted = Type.Object(
  {
    id: JobId,
    /** `queued` for a new job; a replayed key shows the job's status. */
    status: JobStatus,
    createdAt: Type.String({ format: 'date-time' }),
    links: JobLinks,
  },
  { $id: 'JobAccepted' },
)
export type JobAccepted = Static<typeof JobAccepted>

export const JobStatusResource = Type.Object(
  {
    id: JobId,
    type: JobType,
    status: JobStatus,
    invoiceNumber: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    attempts: Type.Integer({ minimum: 0 }),
    error: Type.Optional(JobError),
    result: Type.Optional(
      Type.Object({
        href: Type.String(),
        contentType: Type.String(),
        size: Type.Integer({ minimum: 0 }),
      }),
    ),
    links: JobLinks,
  },
  { $id: 'JobStatusResource' },
)
export type JobStatusResource = Static<typeof JobStatusResource>
