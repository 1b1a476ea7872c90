import { Writable } from 'node:stream'
import { pino, type Logger } from 'pino'

export interface LogLine {
  level: number
  msg: string
  [field: string]: unknown
}

/** A real pino logger whose lines land in an array the test can read. */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as LogLine)
      }
      done()
    },
  })
  return { logger: pino({ level: 'debug' }, stream), lines }
}
