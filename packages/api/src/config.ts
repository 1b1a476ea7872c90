import { Type, type Static } from '@sinclair/typebox'
import { AdapterEnv, loadConfig } from '@invoice-jobs/shared'

/** Every variable the API reads; `.env.example` documents each one. */
export const ApiEnv = Type.Composite([
  AdapterEnv,
  Type.Object({
    HOST: Type.String({ default: '0.0.0.0' }),
    PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
    LOG_LEVEL: Type.String({ default: 'info' }),
    LOG_PRETTY: Type.Boolean({ default: false }),
    BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 1_048_576 }),
    RETRY_AFTER_SECONDS: Type.Integer({ minimum: 1, default: 1 }),
    RESULT_DELIVERY: Type.Union(
      [Type.Literal('stream'), Type.Literal('redirect')],
      {
        default: 'stream',
        description: 'redirect: 303 to a short-lived user-delegation SAS URL',
      },
    ),
    SAS_TTL_SECONDS: Type.Integer({ minimum: 60, maximum: 3600, default: 300 }),
    RELAY_INTERVAL_MS: Type.Integer({ minimum: 100, default: 2000 }),
    RELAY_AGE_MS: Type.Integer({ minimum: 0, default: 5000 }),
    SEND_TIMEOUT_MS: Type.Integer({
      minimum: 100,
      default: 2000,
      description: 'How long a submit waits for the queue before the relay',
    }),
    SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 10_000 }),
    READY_TIMEOUT_MS: Type.Integer({
      minimum: 100,
      default: 2000,
      description: 'How long each readiness check may take',
    }),
    RESULT_MAX_AGE_SECONDS: Type.Integer({
      minimum: 0,
      default: 3600,
      description: 'Browser cache lifetime of a finished document (private)',
    }),
    CORS_ORIGINS: Type.String({
      default: '',
      description:
        'Comma-separated browser origins allowed to call the API; none by default',
    }),
  }),
])
export type ApiEnv = Static<typeof ApiEnv>

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiEnv {
  return loadConfig(ApiEnv, env)
}
