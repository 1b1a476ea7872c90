// The worker container app: no ingress, probes on HEALTH_PORT, scaled by
// KEDA on the queue's length from zero to maxReplicas. Every variable set
// here is checked against WorkerEnv by infra/test/app-env.test.ts.

param name string
param location string
param tags object = {}
param environmentId string
param registryServer string
param identityId string
param identityClientId string

@description('Identity the KEDA scale rule uses; needs Data Owner on the queue.')
param scalerIdentityId string

@description('True once azd has deployed the worker service.')
param exists bool

param serviceBusNamespace string
param serviceBusNamespaceName string
param serviceBusQueue string
param storageAccountUrl string
param storageContainer string
param mongoDatabase string
param mongoUriSecretUri string

param maxDeliveries int = 5
param lockDurationMs int = 60000
param workerConcurrency int = 4
param shutdownGraceMs int = 25000
param logLevel string = 'info'

param maxReplicas int = 10
@description('Active messages per replica before KEDA adds another.')
param messagesPerReplica int = 10

// Fixed by the app: WorkerEnv HEALTH_PORT default and its health routes.
var healthPort = 3001

module image 'current-image.bicep' = {
  name: '${name}-current-image'
  params: { exists: exists, appName: name }
}

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'worker' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
      '${scalerIdentityId}': {}
    }
  }
  properties: {
    managedEnvironmentId: environmentId
    configuration: {
      activeRevisionsMode: 'Single'
      registries: [{ server: registryServer, identity: identityId }]
      secrets: [
        { name: 'mongodb-uri', keyVaultUrl: mongoUriSecretUri, identity: identityId }
      ]
    }
    template: {
      // Longer than SHUTDOWN_GRACE_MS so in-flight jobs settle before
      // the platform kills the container.
      terminationGracePeriodSeconds: 30
      containers: [
        {
          name: 'worker'
          image: image.outputs.image
          resources: { cpu: json('1.0'), memory: '2Gi' }
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
            { name: 'HEALTH_PORT', value: string(healthPort) }
            { name: 'SHUTDOWN_GRACE_MS', value: string(shutdownGraceMs) }
            { name: 'WORKER_CONCURRENCY', value: string(workerConcurrency) }
            { name: 'LOG_LEVEL', value: logLevel }
          ]
          probes: [
            {
              type: 'Startup'
              httpGet: { path: '/health/live', port: healthPort }
              initialDelaySeconds: 1
              periodSeconds: 2
              failureThreshold: 10
            }
            {
              type: 'Liveness'
              httpGet: { path: '/health/live', port: healthPort }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: { path: '/health/ready', port: healthPort }
              periodSeconds: 5
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'queue-length'
            custom: {
              type: 'azure-servicebus'
              // Managed identity instead of a connection string secret.
              identity: scalerIdentityId
              metadata: {
                namespace: serviceBusNamespaceName
                queueName: serviceBusQueue
                messageCount: string(messagesPerReplica)
              }
            }
          }
        ]
      }
    }
  }
}

output name string = app.name
