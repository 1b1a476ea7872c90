targetScope = 'subscription'

// Everything `azd up` creates: one resource group holding the Container
// Apps environment, registry, Service Bus, Cosmos DB for MongoDB, Storage
// and Key Vault, plus one user-assigned identity per app (and one for the
// worker's KEDA scaler) with the narrowest built-in roles that work.
// docs/deploy.md explains each choice.

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and tags.')
param environmentName string

@minLength(1)
@description('Azure region for every resource.')
param location string

@description('Set by azd once the api app exists, so its image is kept.')
param apiExists bool = false

@description('Set by azd once the worker app exists, so its image is kept.')
param workerExists bool = false

@description('stream: the API proxies PDFs; redirect: 303 to a user-delegation SAS.')
@allowed(['stream', 'redirect'])
param resultDelivery string = 'stream'

@description('Peek-lock duration in ms; the app default LOCK_DURATION_MS.')
param lockDurationMs int = 60000

@description('Deliveries before dead-lettering; the app default MAX_DELIVERIES.')
param maxDeliveries int = 5

@description('Upper bound on worker replicas started by the queue scaler.')
param workerMaxReplicas int = 10

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))
var queueName = 'invoice-jobs'
var containerName = 'invoices'
var databaseName = 'invoice-jobs'
var redirect = resultDelivery == 'redirect'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module apiIdentity 'modules/identity.bicep' = {
  name: 'api-identity'
  scope: rg
  params: { name: 'id-api-${token}', location: location, tags: tags }
}

module workerIdentity 'modules/identity.bicep' = {
  name: 'worker-identity'
  scope: rg
  params: { name: 'id-worker-${token}', location: location, tags: tags }
}

// Separate from the worker's own identity: the scaler needs Data Owner on
// the queue, which the worker code never should use (it pins its own
// identity through AZURE_CLIENT_ID).
module scalerIdentity 'modules/identity.bicep' = {
  name: 'scaler-identity'
  scope: rg
  params: { name: 'id-scaler-${token}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: { name: 'log-${token}', location: location, tags: tags }
}

module environment 'modules/container-apps-environment.bicep' = {
  name: 'container-apps-environment'
  scope: rg
  params: {
    name: 'cae-${token}'
    location: location
    tags: tags
    logAnalyticsWorkspaceName: monitoring.outputs.name
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    name: 'cr${token}'
    location: location
    tags: tags
    pullerPrincipalIds: [
      apiIdentity.outputs.principalId
      workerIdentity.outputs.principalId
    ]
  }
}

module serviceBus 'modules/service-bus.bicep' = {
  name: 'service-bus'
  scope: rg
  params: {
    namespaceName: 'sb-${token}'
    location: location
    tags: tags
    queueName: queueName
    lockDurationMs: lockDurationMs
    maxDeliveryCount: maxDeliveries
    senderPrincipalIds: [apiIdentity.outputs.principalId]
    receiverPrincipalIds: [workerIdentity.outputs.principalId]
    ownerPrincipalIds: [scalerIdentity.outputs.principalId]
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${token}'
    location: location
    tags: tags
    containerName: containerName
    readerPrincipalIds: [apiIdentity.outputs.principalId]
    contributorPrincipalIds: [workerIdentity.outputs.principalId]
    // Signing user-delegation SAS is only needed for redirect delivery.
    delegatorPrincipalIds: redirect ? [apiIdentity.outputs.principalId] : []
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: 'kv-${token}'
    location: location
    tags: tags
    secretsUserPrincipalIds: [
      apiIdentity.outputs.principalId
      workerIdentity.outputs.principalId
    ]
  }
}

module cosmos 'modules/cosmos-mongo.bicep' = {
  name: 'cosmos-mongo'
  scope: rg
  params: {
    accountName: 'cosmos-${token}'
    location: location
    tags: tags
    databaseName: databaseName
    keyVaultName: keyVault.outputs.name
  }
}

module api 'modules/api-app.bicep' = {
  name: 'api-app'
  scope: rg
  // Roles first: the app pulls its image and resolves its Key Vault
  // reference with them while the first revision starts.
  dependsOn: [registry, keyVault, serviceBus, storage]
  params: {
    name: 'ca-api-${token}'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    registryServer: registry.outputs.loginServer
    identityId: apiIdentity.outputs.id
    identityClientId: apiIdentity.outputs.clientId
    exists: apiExists
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    serviceBusQueue: serviceBus.outputs.queueName
    storageAccountUrl: storage.outputs.blobEndpoint
    storageContainer: storage.outputs.containerName
    mongoDatabase: cosmos.outputs.databaseName
    mongoUriSecretUri: cosmos.outputs.connectionStringSecretUri
    resultDelivery: resultDelivery
    maxDeliveries: maxDeliveries
    lockDurationMs: lockDurationMs
  }
}

module worker 'modules/worker-app.bicep' = {
  name: 'worker-app'
  scope: rg
  dependsOn: [registry, keyVault, serviceBus, storage]
  params: {
    name: 'ca-worker-${token}'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    registryServer: registry.outputs.loginServer
    identityId: workerIdentity.outputs.id
    identityClientId: workerIdentity.outputs.clientId
    scalerIdentityId: scalerIdentity.outputs.id
    exists: workerExists
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    serviceBusQueue: serviceBus.outputs.queueName
    storageAccountUrl: storage.outputs.blobEndpoint
    storageContainer: storage.outputs.containerName
    mongoDatabase: cosmos.outputs.databaseName
    mongoUriSecretUri: cosmos.outputs.connectionStringSecretUri
    maxDeliveries: maxDeliveries
    lockDurationMs: lockDurationMs
    maxReplicas: workerMaxReplicas
  }
}

// azd reads these into .azure/<env>/.env; none of them is a secret.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = environment.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.url
output SERVICE_WORKER_NAME string = worker.outputs.name
output API_URL string = api.outputs.url
output SERVICEBUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output STORAGE_ACCOUNT_URL string = storage.outputs.blobEndpoint
