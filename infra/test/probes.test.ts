import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../packages/shared/src/logging/create-logger.js'
import healthRoutes from '../../packages/api/src/routes/health/index.js'
import { createHealthServer } from '../../packages/worker/src/health-server.js'
import {
  blockAfter,
  declaredValues,
  readRepoFile,
  stripComments,
} from './support/bicep-text.js'

/** The part of a Fastify instance these tests use. */
interface RoutingApp {
  register(plugin: unknown, options: unknown): PromiseLike<unknown>
  ready(): PromiseLike<unknown>
  close(): PromiseLike<unknown>
  hasRoute(route: { method: string; url: string }): boolean
  inject(request: { method: string; url: string }): Promise<{
    statusCode: number
  }>
}

interface Probe {
  type: string
  path: string
  port: string
}

/** The `probes: [...]` of a container app module, with ports resolved. */
function probesOf(file: string): Probe[] {
  const source = stripComments(readRepoFile(file))
  const values = declaredValues(source)
  const block = blockAfter(source, 'probes')
  const probe =
    /type:\s*'(\w+)'\s*httpGet:\s*\{\s*path:\s*'([^']+)',\s*port:\s*(\w+)\s*\}/g
  return [...block.matchAll(probe)].map(([, type, path, port]) => ({
    type: type!,
    path: path!,
    port: String(values.get(port!) ?? port),
  }))
}

// Ports are never called: these tests ask only which routes exist.
const unused = new Proxy(
  {},
  {
    get() {
      throw new Error('a port was called by a routing-only test')
    },
  },
)

describe('the api probes', () => {
  const probes = probesOf('infra/modules/api-app.bicep')
  // fastify is a dependency of the api package, not of the root.
  const requireFromApi = createRequire(
    new URL('../../packages/api/package.json', import.meta.url),
  )
  const Fastify = requireFromApi('fastify') as (opts: object) => RoutingApp
  const app = Fastify({ logger: false })

  beforeAll(async () => {
    await app.register(healthRoutes, {
      store: unused,
      queue: unused,
      blobs: unused,
      timeoutMs: 100,
    } as never)
    await app.ready()
  })
  afterAll(() => app.close())

  it('declares startup, liveness and readiness on the API port', () => {
    expect(probes.map((p) => p.type).sort()).toEqual([
      'Liveness',
      'Readiness',
      'Startup',
    ])
    expect(new Set(probes.map((p) => p.port))).toEqual(new Set(['3000']))
    expect(readRepoFile('infra/modules/api-app.bicep')).toMatch(
      /targetPort:\s*port\b/,
    )
  })

  it('points every probe at a GET route the API registers', () => {
    for (const { path } of probes) {
      expect(app.hasRoute({ method: 'GET', url: path }), path).toBe(true)
    }
  })

  it('relies on app.ts mounting the health routes without a prefix', () => {
    const app = stripComments(readRepoFile('packages/api/src/app.ts'))
    const at = app.indexOf('app.register(healthRoutes')
    expect(at).toBeGreaterThan(-1)
    const call = app.slice(at, app.indexOf('})', at))
    expect(call).not.toMatch(/prefix/)
  })

  it('answers the liveness path with 200', async () => {
    const live = probes.find((p) => p.type === 'Liveness')!
    const res = await app.inject({ method: 'GET', url: live.path })
    expect(res.statusCode).toBe(200)
  })

  it('would notice a probe on a route that does not exist', () => {
    expect(app.hasRoute({ method: 'GET', url: '/healthz' })).toBe(false)
  })
})

describe('the worker probes', () => {
  const probes = probesOf('infra/modules/worker-app.bicep')
  const server = createHealthServer({
    host: '127.0.0.1',
    port: 0,
    logger: createLogger({ level: 'silent', pretty: false, name: 'infra' }),
    isStarted: () => true,
    checks: {},
  })
  let base = ''

  beforeAll(async () => {
    base = `http://127.0.0.1:${await server.listen()}`
  })
  afterAll(() => server.close())

  it('declares startup, liveness and readiness on HEALTH_PORT 3001', () => {
    expect(probes.map((p) => p.type).sort()).toEqual([
      'Liveness',
      'Readiness',
      'Startup',
    ])
    expect(new Set(probes.map((p) => p.port))).toEqual(new Set(['3001']))
  })

  it('points every probe at a path the health server answers', async () => {
    for (const { path } of probes) {
      const res = await fetch(base + path)
      expect(res.status, path).toBe(200)
    }
  })

  it('would notice a probe on a path the server does not serve', async () => {
    const res = await fetch(`${base}/healthz`)
    expect(res.status).toBe(404)
  })
})
