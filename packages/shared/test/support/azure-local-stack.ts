import { randomUUID } from 'node:crypto'
import { startAzurite, type Azurite } from './azurite.js'
import {
  startMongoWireServer,
  type MongoWireServer,
} from './mongo-wire-server/index.js'
import {
  startServiceBusBroker,
  type ServiceBusBroker,
} from './service-bus-broker/index.js'

export interface AzureLocalStack {
  /** The variables that point the services at the three local parts. */
  env: Record<string, string>
  queueName: string
  containerName: string
  broker: ServiceBusBroker
  mongo: MongoWireServer
  azurite: Azurite
  /** Stops all three; safe to call twice. */
  close(): Promise<void>
}

export interface AzureLocalStackOptions {
  lockDurationMs?: number
  maxDeliveries?: number
}

/**
 * Azurite, the Service Bus test broker and the MongoDB wire server,
 * started together, with uniquely named resources, for tests that run
 * the Azure adapters of all three ports at once.
 */
export async function startAzureLocalStack(
  options: AzureLocalStackOptions = {},
): Promise<AzureLocalStack> {
  const lockDurationMs = options.lockDurationMs ?? 5_000
  const maxDeliveries = options.maxDeliveries ?? 5
  const suffix = randomUUID().slice(0, 8)
  const queueName = `jobs-${suffix}`
  const containerName = `invoices-${suffix}`

  const [azurite, broker, mongo] = await Promise.all([
    startAzurite(),
    startServiceBusBroker({ lockDurationMs, maxDeliveries }),
    startMongoWireServer({ requireIndexForSort: true }),
  ])
  broker.createQueue(queueName)

  let closed: Promise<void> | undefined
  return {
    env: {
      JOB_STORE: 'mongodb',
      MONGODB_URI: `${mongo.uri.replace(/\/$/, '')}/?retryWrites=false`,
      MONGODB_DATABASE: `jobs-${suffix}`,
      JOB_QUEUE: 'servicebus',
      SERVICEBUS_CONNECTION_STRING: broker.connectionString,
      SERVICEBUS_QUEUE: queueName,
      BLOB_STORE: 'azure',
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      STORAGE_CONTAINER: containerName,
      MAX_DELIVERIES: String(maxDeliveries),
      LOCK_DURATION_MS: String(lockDurationMs),
    },
    queueName,
    containerName,
    broker,
    mongo,
    azurite,
    close: () =>
      (closed ??= Promise.allSettled([
        azurite.close(),
        broker.close(),
        mongo.close(),
      ]).then(() => undefined)),
  }
}
