import {
  DefaultAzureCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity'

let cached: { clientId: string | undefined; credential: TokenCredential }

/**
 * The process's one Azure credential. With a client id it is that
 * user-assigned managed identity; otherwise the default chain (managed
 * identity in Azure, the developer's login locally).
 */
export function azureCredential(clientId?: string): TokenCredential {
  if (cached?.clientId === clientId) return cached.credential

  const credential = clientId
    ? new ManagedIdentityCredential({ clientId })
    : new DefaultAzureCredential()
  cached = { clientId, credential }
  return credential
}
