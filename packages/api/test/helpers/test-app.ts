import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { pino, type Logger } from 'pino'
import { createAdapters, type Adapters } from '@invoice-jobs/shared/adapters'
import { buildApp, type App } from '../../src/app.js'
import { loadApiConfig, type ApiEnv } from '../../src/config.js'

/** A log line as pino wrote it. */
export interface LogLine {
  level: number
  msg: string
  [field: string]: unknown
}

export type Ports = Pick<Adapters, 'store' | 'queue' | 'blobs'>

export interface TestAppOptions {
  /** Environment variables, as strings, over the defaults. */
  env?: Record<string, string>
  /** Wraps the real adapters the app sees, to inject faults. */
  wrap?: (ports: Ports, dir: string) => Ports
  clock?: () => Date
}

export interface TestApp {
  app: App
  /** The real adapters, unwrapped: what the tests check through. */
  adapters: Adapters
  config: ApiEnv
  /** Writes into `logs`. */
  logger: Logger
  logs: LogLine[]
  dir: string
  /** Closes the app, then the adapters, then deletes the folder. */
  close(): Promise<void>
}

/** A fresh app on real embedded adapters in its own temp folder. */
export async function createTestApp(
  options: TestAppOptions = {},
): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'api-test-'))
  const config = loadApiConfig({ DATA_DIR: dir, ...options.env })

  const logs: LogLine[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line) logs.push(JSON.parse(line) as LogLine)
      }
      done()
    },
  })
  const logger = pino({ level: 'debug' }, sink)

  const adapters = await createAdapters(config, { logger, role: 'api' })
  const ports = options.wrap ? options.wrap(adapters, dir) : adapters
  const app = buildApp({
    config,
    adapters: ports,
    logger,
    ...(options.clock && { clock: options.clock }),
  })

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      await app.close()
      await adapters.close()
      await rm(dir, { recursive: true, force: true })
    })()
    return closing
  }
  return { app, adapters, config, logger, logs, dir, close }
}
