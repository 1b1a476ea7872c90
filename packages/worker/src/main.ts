import closeWithGrace from 'close-with-grace'
import { ConfigError, createLogger, type Logger } from '@invoice-jobs/shared'
import { createAdapters } from '@invoice-jobs/shared/adapters'
import { loadWorkerConfig, type WorkerEnv } from './config.js'
import { createDeadLetterReconciler } from './dead-letter-reconciler.js'
import { createHealthServer } from './health-server.js'
import { createWorker } from './worker.js'

/** Time for adapters and the health server to close after the drain. */
const CLOSE_MARGIN_MS = 5000

async function closeStep(
  logger: Logger,
  step: string,
  close: () => Promise<void>,
): Promise<void> {
  try {
    await close()
  } catch (err) {
    logger.error({ err, step }, 'shutdown step failed')
  }
}

async function main(): Promise<void> {
  const config: WorkerEnv = loadWorkerConfig()
  const logger = createLogger({
    level: config.LOG_LEVEL,
    pretty: config.LOG_PRETTY,
    name: 'worker',
  })

  const adapters = await createAdapters(config, { logger, role: 'worker' })
  const worker = createWorker({ config, adapters, logger })
  const reconciler = createDeadLetterReconciler({
    store: adapters.store,
    queue: adapters.queue,
    logger: logger.child({ component: 'dead-letter-reconciler' }),
  })
  const health = createHealthServer({
    host: config.HEALTH_HOST,
    port: config.HEALTH_PORT,
    logger,
    isStarted: () => worker.running,
    checks: {
      store: () => adapters.store.check(),
      queue: () => adapters.queue.check(),
      blobs: () => adapters.blobs.check(),
    },
  })

  // The first signal drains; a second one, or the delay running out,
  // exits at once (close-with-grace does both).
  closeWithGrace(
    {
      delay: config.SHUTDOWN_GRACE_MS + CLOSE_MARGIN_MS,
      logger: { error: (msg: unknown) => logger.error({ msg }, 'shutdown') },
    },
    async ({ signal, err }) => {
      if (err) logger.error({ err }, 'worker crashed')
      logger.info({ signal }, 'shutting down')
      await Promise.all([
        closeStep(logger, 'worker', () => worker.close()),
        closeStep(logger, 'reconciler', () => reconciler.close()),
      ])
      await closeStep(logger, 'health server', () => health.close())
      await closeStep(logger, 'adapters', () => adapters.close())
      logger.info('shutdown complete')
    },
  )

  await health.listen()
  worker.start()
  reconciler.start()
}

// A bad variable, read here or found contradictory by createAdapters,
// stops the process with a message naming it, not a stack trace.
await main().catch((err: unknown) => {
  if (!(err instanceof ConfigError)) throw err
  console.error(err.message)
  process.exit(1)
})
