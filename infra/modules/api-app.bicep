// The API container app: external HTTPS ingress on PORT, three probes on
// the health routes, at least one replica, HTTP concurrency scaling.
// Every variable set here is checked against ApiEnv by
// infra/test/app-env.test.ts.

param name string
param location string
param tags object = {}
param environmentId string
param registryServer string
param identityId string
param identityClientId string

@description('True once azd has deployed the api service.')
param exists bool

param serviceBusNamespace string
param serviceBusQueue string
param storageAccountUrl string
param storageContainer string
param mongoDatabase string
param mongoUriSecretUri string

@allowed(['stream', 'redirect'])
param resultDelivery string = 'stream'
param sasTtlSeconds int = 300
param maxDeliveries int = 5
param lockDurationMs int = 60000
param logLevel string = 'info'

@minValue(1)
param minReplicas int = 1
param maxReplicas int = 10
@description('Concurrent requests per replica before another is added.')
param concurrentRequests int = 50

// Fixed by the app: ApiEnv PORT default and its health routes.
var port = 3000

module image 'current-image.bicep' = {
  name: '${name}-current-image'
  params: { exists: exists, appName: name }
}

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    managedEnvironmentId: environmentId
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: port
        transport: 'auto'
        allowInsecure: false
      }
      registries: [{ server: registryServer, identity: identityId }]
      secrets: [
        { name: 'mongodb-uri', keyVaultUrl: mongoUriSecretUri, identity: identityId }
      ]
    }
    template: {
      // Above SHUTDOWN_GRACE_MS (10 s) so the drain finishes first.
      terminationGracePeriodSeconds: 30
      containers: [
        {
          name: 'api'
          image: image.outputs.image
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: [
            { name: 'JOB_STORE', value: 'mongodb' }
            { name: 'JOB_QUEUE', value: 'servicebus' }
            { name: 'BLOB_STORE', value: 'azure' }
            { name: 'MONGODB_URI', secretRef: 'mongodb-uri' }
            { name: 'MONGODB_DATABASE', value: mongoDatabase }
            { name: 'MONGODB_AUTH', value: 'uri' }
            { name: 'SERVICEBUS_NAMESPACE', value: serviceBusNamespace }
            { name: 'SERVICEBUS_QUEUE', value: serviceBusQueue }
            { name: 'STORAGE_ACCOUNT_URL', value: storageAccountUrl }
            { name: 'STORAGE_CONTAINER', value: storageContainer }
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
            { name: 'MAX_DELIVERIES', value: string(maxDeliveries) }
            { name: 'LOCK_DURATION_MS', value: string(lockDurationMs) }
            { name: 'PORT', value: string(port) }
            { name: 'RESULT_DELIVERY', value: resultDelivery }
            { name: 'SAS_TTL_SECONDS', value: string(sasTtlSeconds) }
            { name: 'LOG_LEVEL', value: logLevel }
          ]
          probes: [
            {
              type: 'Startup'
              httpGet: { path: '/health/live', port: port }
              initialDelaySeconds: 1
              periodSeconds: 2
              failureThreshold: 10
            }
            {
              type: 'Liveness'
              httpGet: { path: '/health/live', port: port }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: { path: '/health/ready', port: port }
              periodSeconds: 5
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        // The placeholder image does not listen on PORT, so it must not
        // run: zero replicas until azd has deployed the real image once.
        minReplicas: exists ? minReplicas : 0
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'http-concurrency'
            http: { metadata: { concurrentRequests: string(concurrentRequests) } }
          }
        ]
      }
    }
  }
}

output name string = app.name
output url string = 'https://${app.properties.configuration.ingress.fqdn}'
