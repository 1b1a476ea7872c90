import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from '@invoice-jobs/shared'

/** A named dependency check; throws when the dependency cannot serve. */
export type HealthCheck = () => Promise<void>

export interface HealthServerOptions {
  host: string
  /** 0 picks a free port; read it from `listen()`. */
  port: number
  logger: Logger
  /** Whether the process takes work (e.g. the worker has started). */
  isStarted: () => boolean
  checks: Record<string, HealthCheck>
  /** A check slower than this counts as failed. @defaultValue 2000 */
  checkTimeoutMs?: number
}

export interface HealthServer {
  /** Resolves with the bound port. */
  listen(): Promise<number>
  /** Safe to call twice. */
  close(): Promise<void>
}

/**
 * Liveness and readiness for the orchestrator, on plain `node:http`: the
 * worker serves no other HTTP, so a framework would be dead weight.
 */
export function createHealthServer(options: HealthServerOptions): HealthServer {
  const { logger } = options
  const timeoutMs = options.checkTimeoutMs ?? 2000
  let closing: Promise<void> | undefined

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, { status: 'method not allowed' })
    }
    if (path === '/health/live') return send(res, 200, { status: 'ok' })
    if (path === '/health/ready') {
      return void ready().then(
        (body) => send(res, body.status === 'ok' ? 200 : 503, body),
        () => send(res, 503, { status: 'unavailable' }),
      )
    }
    send(res, 404, { status: 'not found' })
  })

  async function ready(): Promise<Record<string, unknown>> {
    const names = Object.keys(options.checks)
    const results = await Promise.all(
      names.map((name) => runCheck(name, options.checks[name]!)),
    )
    const checks = Object.fromEntries(
      names.map((name, i) => [name, results[i] ? 'ok' : 'failed']),
    )
    const started = options.isStarted()
    const ok = started && results.every(Boolean)
    return { status: ok ? 'ok' : 'unavailable', started, checks }
  }

  async function runCheck(name: string, check: HealthCheck): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${name} check timed out`)),
        timeoutMs,
      )
    })
    try {
      await Promise.race([check(), timeout])
      return true
    } catch (err) {
      logger.warn({ err, check: name }, 'readiness check failed')
      return false
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(options.port, options.host, () => {
          server.off('error', reject)
          const { port } = server.address() as AddressInfo
          logger.info({ host: options.host, port }, 'health server listening')
          resolve(port)
        })
      })
    },
    close() {
      closing ??= new Promise((resolve) => {
        if (!server.listening) return resolve()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
  }
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  })
  res.end(text)
}
