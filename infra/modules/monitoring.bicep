// Log Analytics workspace that receives the Container Apps console and
// system logs.

param name string
param location string
param tags object = {}

@description('Days to keep logs; 30 is the free retention period.')
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

output id string = workspace.id
output name string = workspace.name
