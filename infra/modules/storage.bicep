import { roleIds } from 'role-ids.bicep'

// Storage account for the rendered PDFs. Shared keys are off, so only
// Entra ID tokens (and user-delegation SAS signed with one) work.

param name string
param location string
param tags object = {}
param containerName string = 'invoices'

@description('Identities that read documents (the API).')
param readerPrincipalIds array = []

@description('Identities that write documents (the worker).')
param contributorPrincipalIds array = []

@description('Identities that may sign user-delegation SAS (API in redirect mode).')
param delegatorPrincipalIds array = []

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: containerName
  properties: { publicAccess: 'None' }
}

resource readers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in readerPrincipalIds: {
    name: guid(container.id, principalId, roleIds.storageBlobDataReader)
    scope: container
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roleIds.storageBlobDataReader // Storage Blob Data Reader
      )
    }
  }
]

resource contributors 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in contributorPrincipalIds: {
    name: guid(container.id, principalId, roleIds.storageBlobDataContributor)
    scope: container
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roleIds.storageBlobDataContributor // Storage Blob Data Contributor
      )
    }
  }
]

// A user-delegation key is requested from the account, so this grant
// cannot be narrowed to the container; it signs SAS only, it reads nothing.
resource delegators 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in delegatorPrincipalIds: {
    name: guid(account.id, principalId, roleIds.storageBlobDelegator)
    scope: account
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roleIds.storageBlobDelegator // Storage Blob Delegator
      )
    }
  }
]

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output containerName string = container.name
