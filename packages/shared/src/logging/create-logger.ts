import { pino, type Logger, type LoggerOptions } from 'pino'

export type { Logger }

export interface LoggerConfig {
  level: string
  pretty: boolean
  name: string
}

/**
 * Paths that may hold personal data; pino replaces them before a line is
 * written, wherever a caller put them by mistake.
 */
const redact = [
  'email',
  '*.email',
  'input',
  '*.input',
  'customer',
  '*.customer',
  'req.headers.authorization',
  'req.headers.cookie',
]

/** The one way both services create their root logger. */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    name: config.name,
    level: config.level,
    redact: { paths: redact, censor: '[redacted]' },
  }
  if (!config.pretty) return pino(options)

  return pino({
    ...options,
    transport: { target: 'pino-pretty', options: { singleLine: true } },
  })
}
