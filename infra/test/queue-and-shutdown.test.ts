import { describe, expect, it } from 'vitest'
import { AdapterEnv } from '../../packages/shared/src/config/adapters.js'
import { ApiEnv } from '../../packages/api/src/config.js'
import { WorkerEnv } from '../../packages/worker/src/config.js'
import {
  blockAfter,
  declaredValues,
  readRepoFile,
  resolveEnv,
  stripComments,
} from './support/bicep-text.js'

const serviceBus = readRepoFile('infra/modules/service-bus.bicep')
const main = readRepoFile('infra/main.bicep')
const serviceBusCode = stripComments(serviceBus)
const queue = blockAfter(
  serviceBusCode.slice(serviceBusCode.indexOf('/queues@')),
  'properties',
)

/** `PT1M`, `PT60S`, `PT1M30S` → milliseconds. */
function isoDurationMs(text: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(text)
  if (!m) throw new Error(`not an ISO 8601 time duration: ${text}`)
  const [h = 0, min = 0, s = 0] = m.slice(1).map((v) => Number(v ?? 0))
  return ((h * 60 + min) * 60 + s) * 1000
}

describe('isoDurationMs', () => {
  it('reads minutes and seconds and rejects other text', () => {
    expect(isoDurationMs('PT1M')).toBe(60_000)
    expect(isoDurationMs('PT60S')).toBe(60_000)
    expect(() => isoDurationMs('60s')).toThrow(/ISO 8601/)
  })
})

describe('the invoice-jobs queue', () => {
  const sb = declaredValues(serviceBus)
  const top = declaredValues(main)
  const lockDefault = AdapterEnv.properties.LOCK_DURATION_MS.default
  const deliveriesDefault = AdapterEnv.properties.MAX_DELIVERIES.default

  it('locks messages for LOCK_DURATION_MS by default', () => {
    const expr = /lockDuration:\s*'PT\$\{lockDurationMs \/ 1000\}S'/
    expect(queue).toMatch(expr)
    expect(sb.get('lockDurationMs')).toBe(lockDefault)
    expect(top.get('lockDurationMs')).toBe(lockDefault)
    const rendered = `PT${Number(sb.get('lockDurationMs')) / 1000}S`
    expect(isoDurationMs(rendered)).toBe(lockDefault)
  })

  it('dead-letters after MAX_DELIVERIES deliveries by default', () => {
    expect(queue).toMatch(/maxDeliveryCount:\s*maxDeliveryCount\b/)
    expect(sb.get('maxDeliveryCount')).toBe(deliveriesDefault)
    expect(top.get('maxDeliveries')).toBe(deliveriesDefault)
    expect(main).toMatch(/maxDeliveryCount:\s*maxDeliveries\b/)
    expect(main).toMatch(/lockDurationMs:\s*lockDurationMs\b/)
  })

  it('drops duplicates and dead-letters expired messages', () => {
    expect(queue).toMatch(/requiresDuplicateDetection:\s*true/)
    expect(queue).toMatch(/duplicateDetectionHistoryTimeWindow:\s*\w+/)
    expect(queue).toMatch(/deadLetteringOnMessageExpiration:\s*true/)
    expect(sb.get('duplicateDetectionWindow')).toMatch(/^PT\d+M$/)
  })

  it('is named as the apps expect and accepts no SAS keys', () => {
    expect(top.get('queueName')).toBe(
      AdapterEnv.properties.SERVICEBUS_QUEUE.default,
    )
    expect(serviceBusCode).toMatch(/disableLocalAuth:\s*true/)
    expect(serviceBus).toMatch(/name:\s*'Standard'/)
  })
})

describe.each([
  { app: 'api', file: 'infra/modules/api-app.bicep', schema: ApiEnv },
  { app: 'worker', file: 'infra/modules/worker-app.bicep', schema: WorkerEnv },
])('the $app shutdown budget', ({ file, schema }) => {
  const source = readRepoFile(file)
  const grace = /terminationGracePeriodSeconds:\s*(\d+)/.exec(
    stripComments(source),
  )

  it('gives the container longer than SHUTDOWN_GRACE_MS to drain', () => {
    expect(grace).not.toBeNull()
    const platformMs = Number(grace![1]) * 1000
    const appDefault = schema.properties.SHUTDOWN_GRACE_MS.default
    const appSet = resolveEnv(source, () => '').SHUTDOWN_GRACE_MS
    expect(platformMs).toBeGreaterThan(appDefault)
    if (appSet) expect(platformMs).toBeGreaterThan(Number(appSet))
  })
})
