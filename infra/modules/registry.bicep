import { roleIds } from 'role-ids.bicep'

// Container registry for the two images. The admin user stays off: the
// apps pull with their own identities and azd pushes with the deploying
// principal's Entra token.

param name string
param location string
param tags object = {}

@description('Principal ids (app identities) that may pull images.')
param pullerPrincipalIds array

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Basic' }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in pullerPrincipalIds: {
    name: guid(registry.id, principalId, roleIds.acrPull)
    scope: registry
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roleIds.acrPull // AcrPull
      )
    }
  }
]

output id string = registry.id
output name string = registry.name
output loginServer string = registry.properties.loginServer
