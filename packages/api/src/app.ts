import Fastify, { LogController } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Adapters } from '@invoice-jobs/shared/adapters'
import type { Logger } from '@invoice-jobs/shared'
import type { ApiEnv } from './config.js'
import corsPlugin from './plugins/cors.js'
import errorHandler from './plugins/error-handler.js'
import { genRequestId } from './plugins/request-id.js'
import requestId from './plugins/request-id.js'
import requestLog from './plugins/request-log.js'
import openApi from './plugins/swagger.js'
import healthRoutes from './routes/health/index.js'
import invoiceRoutes from './routes/invoices/index.js'
import jobRoutes from './routes/jobs/index.js'
import { DispatchRelay } from './services/dispatch-relay.js'
import { createSubmitJob } from './services/submit-job.js'

export interface BuildAppOptions {
  config: ApiEnv
  /** The ports; the caller owns them and closes them after the app. */
  adapters: Pick<Adapters, 'store' | 'queue' | 'blobs'>
  logger: Logger
  /** Time source for job timestamps and the relay. */
  clock?: () => Date
}

/**
 * Builds the HTTP app from its dependencies. Nothing here reads the
 * environment or opens connections, so tests build it on real local
 * adapters. The dispatch relay starts when the app is ready and stops
 * when it closes.
 */
export function buildApp(options: BuildAppOptions) {
  const { config, adapters, logger } = options
  const clock = options.clock ?? (() => new Date())

  const app = Fastify({
    loggerInstance: logger,
    // request-log.ts writes one line per request instead of Fastify's.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: 'requestId',
    }),
    genReqId: genRequestId,
    bodyLimit: config.BODY_LIMIT_BYTES,
    ajv: {
      customOptions: {
        // Report every bad field at once; the body limit bounds the work.
        allErrors: true,
        // Unknown fields are errors, not silently dropped, and "5" is not
        // a number: clients learn about their mistakes.
        removeAdditional: false,
        coerceTypes: false,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Fastify parses text/plain by default; this API only speaks JSON, so
  // anything else must be a 415.
  app.removeContentTypeParser('text/plain')

  app.register(requestId)
  app.register(requestLog)
  app.register(errorHandler)
  app.register(corsPlugin, { origins: config.CORS_ORIGINS })
  app.register(openApi)

  const retryAfterSeconds = config.RETRY_AFTER_SECONDS
  const submitJob = createSubmitJob({
    store: adapters.store,
    queue: adapters.queue,
    logger,
    clock,
    sendTimeoutMs: config.SEND_TIMEOUT_MS,
  })
  app.register(invoiceRoutes, { submitJob, retryAfterSeconds })
  app.register(jobRoutes, {
    store: adapters.store,
    blobs: adapters.blobs,
    delivery: config.RESULT_DELIVERY,
    signedUrlTtlSeconds: config.SAS_TTL_SECONDS,
    maxAgeSeconds: config.RESULT_MAX_AGE_SECONDS,
    retryAfterSeconds,
  })
  app.register(healthRoutes, {
    store: adapters.store,
    queue: adapters.queue,
    blobs: adapters.blobs,
    timeoutMs: config.READY_TIMEOUT_MS,
  })

  const relay = new DispatchRelay({
    store: adapters.store,
    queue: adapters.queue,
    logger: logger.child({ component: 'dispatch-relay' }),
    clock,
    intervalMs: config.RELAY_INTERVAL_MS,
    ageMs: config.RELAY_AGE_MS,
  })
  app.addHook('onReady', async () => relay.start())
  app.addHook('onClose', async () => relay.stop())

  return app
}

/** The app as `buildApp` makes it. */
export type App = ReturnType<typeof buildApp>
