import { ServiceBusClient, type RetryOptions } from '@azure/service-bus'
import type { Logger } from '../../../logging/create-logger.js'
import { azureCredential } from '../credential.js'

export interface ClientOptions {
  namespace?: string
  connectionString?: string
  clientId?: string
  retryOptions?: RetryOptions
}

/**
 * The process's Service Bus client: the namespace with the Azure
 * identity, or a connection string for the emulator only, so that no
 * shared key is ever used against Azure.
 */
export function createClient(options: ClientOptions): ServiceBusClient {
  const clientOptions = options.retryOptions
    ? { retryOptions: options.retryOptions }
    : {}
  if (options.connectionString) {
    if (!/UseDevelopmentEmulator=true/i.test(options.connectionString)) {
      throw new Error(
        'SERVICEBUS_CONNECTION_STRING is for the emulator only ' +
          '(UseDevelopmentEmulator=true); in Azure set SERVICEBUS_NAMESPACE',
      )
    }
    return new ServiceBusClient(options.connectionString, clientOptions)
  }
  if (!options.namespace) {
    throw new Error(
      'SERVICEBUS_NAMESPACE is required for the Service Bus queue',
    )
  }
  return new ServiceBusClient(
    options.namespace,
    azureCredential(options.clientId),
    clientOptions,
  )
}

/** Runs one cleanup step; a failure is logged and the next step runs. */
export async function closeStep(
  logger: Logger,
  what: string,
  run: () => Promise<unknown>,
): Promise<void> {
  try {
    await run()
  } catch (err) {
    logger.warn({ err, what }, 'service bus close step failed')
  }
}
