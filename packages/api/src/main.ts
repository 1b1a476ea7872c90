import closeWithGrace from 'close-with-grace'
import {
  ConfigError,
  createLogger,
  preloadDrawableCheck,
  type Logger,
} from '@invoice-jobs/shared'
import { createAdapters, type Adapters } from '@invoice-jobs/shared/adapters'
import { buildApp, type App } from './app.js'
import { loadApiConfig, type ApiEnv } from './config.js'

/** Runs `step`; a ConfigError stops the process naming what is wrong. */
async function orExit<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`${err.message}\n`)
    process.exit(1)
  }
}

/**
 * Closes the app (stops taking requests, drains them, stops the relay)
 * and then the adapters. Each step runs even if the one before failed;
 * a second call returns the first call's promise.
 */
function closer(
  logger: Logger,
  parts: { app?: App; adapters: Adapters },
): () => Promise<void> {
  let closing: Promise<void> | undefined

  return () => {
    closing ??= (async () => {
      try {
        await parts.app?.close()
      } catch (err) {
        logger.error({ err }, 'closing the app failed')
      }
      try {
        await parts.adapters.close()
      } catch (err) {
        logger.error({ err }, 'closing the adapters failed')
      }
    })()
    return closing
  }
}

async function main(): Promise<void> {
  const config: ApiEnv = await orExit(() => loadApiConfig())
  const logger = createLogger({
    level: config.LOG_LEVEL,
    pretty: config.LOG_PRETTY,
    name: 'api',
  })

  // Adapter settings that depend on each other are checked here.
  const adapters = await orExit(() =>
    createAdapters(config, { logger, role: 'api' }),
  )
  const parts: { app?: App; adapters: Adapters } = { adapters }
  const close = closer(logger, parts)
  closeWithGrace(
    { delay: config.SHUTDOWN_GRACE_MS, logger },
    async ({ signal, err }) => {
      if (err) logger.error({ err }, 'shutting down after an error')
      else logger.info({ signal }, 'shutting down')
      await close()
    },
  )

  try {
    // Parse the invoice fonts now rather than on the first request.
    preloadDrawableCheck()
    parts.app = buildApp({ config, adapters, logger })
    await parts.app.listen({ host: config.HOST, port: config.PORT })
  } catch (err) {
    logger.fatal({ err }, 'api failed to start')
    await close()
    process.exitCode = 1
  }
}

await main()
