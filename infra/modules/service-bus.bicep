import { roleIds } from 'role-ids.bicep'

// Service Bus namespace and the job queue. Only Entra ID tokens are
// accepted (no SAS keys exist to leak); each role is granted on the queue,
// not the namespace, so no identity reaches another entity.

param namespaceName string
param location string
param tags object = {}
param queueName string = 'invoice-jobs'

@description('Peek-lock duration in ms; equals LOCK_DURATION_MS (default 60000).')
@minValue(5000)
@maxValue(300000)
param lockDurationMs int = 60000

@description('Deliveries before dead-lettering; equals MAX_DELIVERIES (default 5).')
@minValue(1)
@maxValue(100)
param maxDeliveryCount int = 5

@description('Window in which a repeated MessageId is dropped (ISO 8601).')
param duplicateDetectionWindow string = 'PT10M'

@description('How long an unprocessed message lives before dead-lettering.')
param messageTimeToLive string = 'P14D'

@description('Identities that send job messages (the API).')
param senderPrincipalIds array = []

@description('Identities that receive and settle job messages (the worker).')
param receiverPrincipalIds array = []

@description('Identities that read queue runtime properties (the KEDA scaler).')
param ownerPrincipalIds array = []

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: namespaceName
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: queueName
  properties: {
    // ISO 8601 from milliseconds, e.g. 60000 -> PT60S (= PT1M).
    lockDuration: 'PT${lockDurationMs / 1000}S'
    maxDeliveryCount: maxDeliveryCount
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: messageTimeToLive
    requiresSession: false
    enablePartitioning: false
  }
}

resource senders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in senderPrincipalIds: {
    name: guid(queue.id, principalId, roleIds.serviceBusDataSender)
    scope: queue
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roleIds.serviceBusDataSender // Azure Service Bus Data Sender
      )
    }
  }
]

resource receivers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in receiverPrincipalIds: {
    name: guid(queue.id, principalId, roleIds.serviceBusDataReceiver)
    scope: queue
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roleIds.serviceBusDataReceiver // Azure Service Bus Data Receiver
      )
    }
  }
]

// KEDA's azure-servicebus scaler reads the queue's message count through
// the management (ATOM) endpoint, which demands the Manage claim; with
// Entra ID only Data Owner carries it. Scoped to this one queue.
resource owners 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in ownerPrincipalIds: {
    name: guid(queue.id, principalId, roleIds.serviceBusDataOwner)
    scope: queue
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roleIds.serviceBusDataOwner // Azure Service Bus Data Owner
      )
    }
  }
]

output namespaceName string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output queueName string = queue.name
