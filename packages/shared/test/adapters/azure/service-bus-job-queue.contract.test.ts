import { afterAll, beforeAll } from 'vitest'
import { createServiceBusJobQueue } from '../../../src/adapters/azure/service-bus-job-queue.js'
import { createLogger } from '../../../src/logging/create-logger.js'
import { describeJobQueueContract } from '../../contracts/job-queue-contract.js'
import {
  startServiceBusBroker,
  type ServiceBusBroker,
} from '../../support/service-bus-broker/index.js'

let broker: ServiceBusBroker

beforeAll(async () => {
  broker = await startServiceBusBroker()
})

afterAll(async () => {
  await broker?.close()
})

describeJobQueueContract('Service Bus (test broker)', async (options) => {
  broker.createQueue(options.queueName, {
    lockDurationMs: options.lockDurationMs,
    maxDeliveries: options.maxDeliveries,
  })
  const queue = createServiceBusJobQueue({
    connectionString: broker.connectionString,
    queueName: options.queueName,
    maxDeliveries: options.maxDeliveries,
    logger: createLogger({ level: 'silent', pretty: false, name: 'test' }),
    retryOptions: { maxRetries: 2, retryDelayInMs: 100, timeoutInMs: 5_000 },
  })
  return { queue, cleanup: () => queue.close() }
})
