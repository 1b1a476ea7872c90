import { roleIds } from 'role-ids.bicep'

// Key Vault in RBAC mode. It holds one secret, the Cosmos DB connection
// string (RU-based Cosmos DB for MongoDB has no Entra ID data-plane auth),
// written by cosmos-mongo.bicep and read by the apps through Container
// Apps Key Vault references.

param name string
param location string
param tags object = {}

@description('Identities that may read secret values (the two apps).')
param secretsUserPrincipalIds array = []

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secretsUsers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in secretsUserPrincipalIds: {
    name: guid(vault.id, principalId, roleIds.keyVaultSecretsUser)
    scope: vault
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roleIds.keyVaultSecretsUser // Key Vault Secrets User
      )
    }
  }
]

output name string = vault.name
output uri string = vault.properties.vaultUri
