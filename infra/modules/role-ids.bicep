// The built-in Azure roles this deployment grants, by definition GUID.
// The GUIDs are fixed by Azure and identical in every tenant; each one
// carries the role's display name so a reviewer can check it without a
// lookup. infra/test/roles.test.ts keeps this list honest.

@export()
@description('Built-in role definition GUIDs, keyed by a short name.')
var roleIds = {
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d' // AcrPull
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39' // Azure Service Bus Data Sender
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0' // Azure Service Bus Data Receiver
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419' // Azure Service Bus Data Owner
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1' // Storage Blob Data Reader
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
  storageBlobDelegator: 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a' // Storage Blob Delegator
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User
}
