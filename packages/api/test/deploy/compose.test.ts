import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { AdapterEnv, loadConfig } from '@invoice-jobs/shared'
import { adapterEnvProblems } from '@invoice-jobs/shared/adapters'
import { parse } from 'yaml'
import { beforeAll, describe, expect, it } from 'vitest'
import { ApiEnv } from '../../src/config.js'
// The worker is not a dependency of the api; its schema is read from source.
import { WorkerEnv } from '../../../worker/src/config.js'

const root = fileURLToPath(new URL('../../../../', import.meta.url))

interface Service {
  image?: string
  build?: unknown
  environment?: Record<string, string | number | boolean>
  healthcheck?: { test?: string[] | string }
  depends_on?: Record<string, { condition?: string }> | string[]
  volumes?: string[]
}

interface Compose {
  services: Record<string, Service>
}

interface QueueConfig {
  Name: string
  Properties: Record<string, string | number | boolean>
}

/** `PT1M`, `PT30S`, `PT1H` → milliseconds (days and times only). */
function isoDurationMs(value: string): number {
  const match = value.match(
    /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/,
  )
  if (!match) throw new Error(`not an ISO 8601 duration: ${value}`)
  const [, d = '0', h = '0', m = '0', s = '0'] = match
  return (
    ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s) * 1000
  )
}

describe('docker-compose.yml', () => {
  let compose: Compose
  let queues: QueueConfig[]

  beforeAll(async () => {
    const text = await readFile(`${root}docker-compose.yml`, 'utf8')
    compose = parse(text, { merge: true }) as Compose
    const config = JSON.parse(
      await readFile(`${root}compose/servicebus-config.json`, 'utf8'),
    )
    queues = config.UserConfig.Namespaces[0].Queues
  })

  const services = () => Object.entries(compose.services)
  const dependencies = (service: Service) =>
    Object.entries(service.depends_on ?? {}) as [
      string,
      { condition?: string },
    ][]

  describe.each([
    ['api', ApiEnv],
    ['worker', WorkerEnv],
  ] as const)('the %s service', (name, schema) => {
    it('sets only variables its config schema knows', () => {
      const env = compose.services[name]?.environment ?? {}
      const unknown = Object.keys(env).filter(
        (key) => !(key in schema.properties),
      )

      expect(Object.keys(env)).toContain('JOB_STORE')
      expect(unknown).toEqual([])
    })

    it('sets values the config schema accepts', () => {
      const env = Object.fromEntries(
        Object.entries(compose.services[name]?.environment ?? {}).map(
          ([key, value]) => [key, String(value)],
        ),
      )

      const config = loadConfig(schema, env)

      expect(adapterEnvProblems(config)).toEqual([])
      expect(config).toMatchObject({
        JOB_STORE: 'mongodb',
        JOB_QUEUE: 'servicebus',
        BLOB_STORE: 'azure',
      })
    })

    it('is built from its own Dockerfile', () => {
      expect(compose.services[name]?.build).toMatchObject({
        context: '.',
        dockerfile: `packages/${name}/Dockerfile`,
      })
    })

    it('has a health check on its readiness route', () => {
      const test = compose.services[name]?.healthcheck?.test
      const port = name === 'api' ? 3000 : 3001

      expect(String(test)).toContain(`127.0.0.1:${port}/health/ready`)
    })

    it('waits for each emulator with an explicit condition', () => {
      const deps = dependencies(compose.services[name]!)

      expect(deps.map(([dep]) => dep).sort()).toEqual(
        ['azurite', 'cosmos', 'servicebus'].sort(),
      )
      for (const [, { condition }] of deps) {
        expect(['service_healthy', 'service_started']).toContain(condition)
      }
    })
  })

  it('pins every image to a tag other than latest', () => {
    const images = services().flatMap(([, s]) => (s.image ? [s.image] : []))

    expect(images.length).toBeGreaterThanOrEqual(4)
    for (const image of images) {
      const tag = image.split('/').pop()!.split(':')[1]
      expect(tag, image).toBeTruthy()
      expect(tag, image).not.toMatch(/latest/)
    }
  })

  it('gives a health check to every service another waits on as healthy', () => {
    for (const [, service] of services()) {
      for (const [dep, { condition }] of dependencies(service)) {
        if (condition !== 'service_healthy') continue
        expect(compose.services[dep]?.healthcheck?.test, dep).toBeTruthy()
      }
    }
  })

  it('mounts the Service Bus config where the emulator reads it', () => {
    expect(compose.services.servicebus?.volumes).toContain(
      './compose/servicebus-config.json:/ServiceBus_Emulator/ConfigFiles/Config.json:ro',
    )
  })

  it('declares the queue with the Service Bus adapter defaults', () => {
    const defaults = AdapterEnv.properties
    const queue = queues.find(
      (q) => q.Name === defaults.SERVICEBUS_QUEUE.default,
    )

    expect(queue, 'queue named by SERVICEBUS_QUEUE').toBeDefined()
    expect(isoDurationMs(String(queue!.Properties.LockDuration))).toBe(
      defaults.LOCK_DURATION_MS.default,
    )
    expect(queue!.Properties.MaxDeliveryCount).toBe(
      defaults.MAX_DELIVERIES.default,
    )
    expect(queue!.Properties.RequiresDuplicateDetection).toBe(true)
    expect(queue!.Properties.DeadLetteringOnMessageExpiration).toBe(true)
    expect(queue!.Properties.RequiresSession).toBe(false)
  })
})
