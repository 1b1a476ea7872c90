import { Type, type Static } from '@sinclair/typebox'
import { AdapterEnv, loadConfig } from '@invoice-jobs/shared'

/** Every variable the worker reads; `.env.example` documents each one. */
export const WorkerEnv = Type.Composite([
  AdapterEnv,
  Type.Object({
    LOG_LEVEL: Type.String({ default: 'info' }),
    LOG_PRETTY: Type.Boolean({ default: false }),
    WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
    HEALTH_HOST: Type.String({ default: '0.0.0.0' }),
    HEALTH_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3001 }),
    SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 25_000 }),
    RETRY_BASE_DELAY_MS: Type.Integer({ minimum: 0, default: 1000 }),
    RETRY_MAX_DELAY_MS: Type.Integer({ minimum: 0, default: 30_000 }),
    LOCK_RENEWAL_MAX_MS: Type.Integer({
      minimum: 0,
      default: 300_000,
      description: 'Longest a running job keeps renewing its message lock',
    }),
  }),
])
export type WorkerEnv = Static<typeof WorkerEnv>

export function loadWorkerConfig(
  env: NodeJS.ProcessEnv = process.env,
): WorkerEnv {
  return loadConfig(WorkerEnv, env)
}
