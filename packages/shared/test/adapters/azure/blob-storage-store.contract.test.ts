import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll } from 'vitest'
import { createAzureBlobStore } from '../../../src/adapters/azure/blob-storage-store.js'
import { createLogger } from '../../../src/logging/create-logger.js'
import { startAzurite, type Azurite } from '../../support/azurite.js'
import { describeBlobStoreContract } from '../../contracts/blob-store-contract.js'

const logger = createLogger({ level: 'silent', pretty: false, name: 'test' })
// One emulator and one container for this file; blob names are unique.
const containerName = `contract-${randomUUID()}`
let azurite: Azurite

beforeAll(async () => {
  azurite = await startAzurite()
})

afterAll(async () => {
  await azurite?.close()
})

describeBlobStoreContract('Azure Blob Storage (Azurite)', async () => {
  const blobs = await createAzureBlobStore({
    connectionString: azurite.connectionString,
    containerName,
    ensureContainer: true,
    logger,
  })
  return { blobs, cleanup: () => blobs.close() }
})
