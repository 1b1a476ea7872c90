// Cosmos DB for MongoDB (RU-based, serverless) with the job store's
// collections. Serverless bills only the request units used plus storage,
// so an idle deployment costs next to nothing; provisioned autoscale
// would bill at least 10% of its ceiling every hour.
//
// RU-based accounts accept only key-based connection strings, so the one
// unavoidable secret is written straight into Key Vault here and never
// leaves ARM as a parameter or output.

param accountName string
param location string
param tags object = {}
param databaseName string = 'invoice-jobs'
param keyVaultName string

@description('Name of the Key Vault secret that holds the connection string.')
param connectionStringSecretName string = 'mongodb-uri'

@description('MongoDB wire protocol version the account speaks.')
param serverVersion string = '7.0'

// The job store's collections (mongo-documents.ts). Each is sharded by
// `_id`, the key every point read and conditional write filters on, so no
// collection hits the 20 GB cap of an unsharded one. Only the `_id` index
// is declared here: the store's ensureIndexes creates its query indexes
// ({ dispatchedAt: 1, createdAt: 1 } and { owner: 1, createdAt: -1 }) and
// the retention TTL by name at startup. ARM can express neither index
// names nor key direction, and a same-keys index under another name makes
// MongoDB's createIndexes fail, so declaring them twice would break it.
var collectionNames = ['jobs', 'idempotency', 'invoiceNumbers', 'counters', 'leases']

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'MongoDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    locations: [
      { locationName: location, failoverPriority: 0, isZoneRedundant: false }
    ]
    capabilities: [{ name: 'EnableServerless' }, { name: 'EnableMongo' }]
    apiProperties: { serverVersion: serverVersion }
    minimalTlsVersion: 'Tls12'
    // Left false: the store creates its indexes over the wire at startup.
    disableKeyBasedMetadataWriteAccess: false
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/mongodbDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: { resource: { id: databaseName } }
}

resource collection 'Microsoft.DocumentDB/databaseAccounts/mongodbDatabases/collections@2024-11-15' = [
  for collectionName in collectionNames: {
    parent: database
    name: collectionName
    properties: {
      resource: {
        id: collectionName
        shardKey: { _id: 'Hash' }
        indexes: [{ key: { keys: ['_id'] } }]
      }
    }
  }
]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource connectionString 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: connectionStringSecretName
  properties: {
    contentType: 'text/plain'
    value: account.listConnectionStrings().connectionStrings[0].connectionString
  }
}

output accountName string = account.name
output databaseName string = database.name
@description('Versionless URI, so apps pick up a rotated key on restart.')
output connectionStringSecretUri string = connectionString.properties.secretUri
