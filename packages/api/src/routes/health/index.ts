import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { BlobStore, JobQueue, JobStore } from '@invoice-jobs/shared'
import { problemResponse, sendProblem } from '../../plugins/problem.js'

export interface HealthRoutesOptions {
  store: JobStore
  queue: JobQueue
  blobs: BlobStore
  /** How long each dependency may take to answer. */
  timeoutMs: number
}

const Live = Type.Object({ status: Type.Literal('ok') })

const Ready = Type.Object({
  status: Type.Literal('ready'),
  checks: Type.Object({
    store: Type.Literal('ok'),
    queue: Type.Literal('ok'),
    blobs: Type.Literal('ok'),
  }),
})

type Dependency = 'store' | 'queue' | 'blobs'

/** Resolves when `check` does, rejects when it fails or takes too long. */
async function withTimeout(check: () => Promise<void>, ms: number) {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)
  })
  try {
    await Promise.race([check(), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Liveness says only that the process answers: restarting it would not
 * fix a database outage. Readiness asks every dependency at once.
 */
const healthRoutes: FastifyPluginAsyncTypebox<HealthRoutesOptions> = async (
  app,
  { store, queue, blobs, timeoutMs },
) => {
  // Probes hit these every few seconds: log only what goes wrong.
  const logLevel = 'warn'

  app.get(
    '/health/live',
    {
      logLevel,
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process is running',
        response: { 200: Live },
      },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/health/ready',
    {
      logLevel,
      schema: {
        tags: ['health'],
        summary: 'Readiness: store, queue and blob storage answer',
        response: {
          200: Ready,
          503: problemResponse('A dependency is not available'),
        },
      },
    },
    async (request, reply) => {
      const checks: Record<Dependency, () => Promise<void>> = {
        store: () => store.check(),
        queue: () => queue.check(),
        blobs: () => blobs.check(),
      }
      const names = Object.keys(checks) as Dependency[]
      const outcomes = await Promise.allSettled(
        names.map((name) => withTimeout(checks[name], timeoutMs)),
      )

      const failing = names.filter((name, i) => {
        const outcome = outcomes[i]
        if (outcome?.status !== 'rejected') return false
        request.log.warn({ err: outcome.reason, dependency: name }, 'not ready')
        return true
      })
      if (failing.length > 0) {
        return sendProblem(reply, 'service_unavailable', {
          detail: `Not ready: ${failing.join(', ')}`,
        })
      }

      return {
        status: 'ready' as const,
        checks: { store: 'ok', queue: 'ok', blobs: 'ok' } as const,
      }
    },
  )
}

export default healthRoutes
