import type { TokenCredential } from '@azure/identity'
import type { MongoClientOptions, OIDCCallbackFunction } from 'mongodb'
import { azureCredential } from '../credential.js'

/** How the store signs in; see `MongoJobStoreOptions`. */
export interface MongoAuthOptions {
  auth: 'uri' | 'azure-oidc'
  clientId?: string
  credential?: TokenCredential
}

/** Audience of Entra tokens for Azure Cosmos DB for MongoDB vCore. */
export const COSMOS_VCORE_TOKEN_RESOURCE =
  'https://ossrdbms-aad.database.windows.net'

/**
 * Driver options: undefined fields stay absent, and with `azure-oidc`
 * the driver signs in with MONGODB-OIDC using a token from our Azure
 * credential. The driver's own `ENVIRONMENT: 'azure'` would only ask the
 * VM metadata endpoint (IMDS), which Container Apps and App Service do
 * not offer; `@azure/identity` finds the managed identity on each of
 * them, and the developer's login locally.
 */
export function mongoClientOptions(
  options: MongoAuthOptions,
): MongoClientOptions {
  const base: MongoClientOptions = {
    ignoreUndefined: true,
    appName: 'invoice-jobs',
  }
  if (options.auth !== 'azure-oidc') return base

  const scope = `${COSMOS_VCORE_TOKEN_RESOURCE}/.default`
  const OIDC_CALLBACK: OIDCCallbackFunction = async () => {
    const credential = options.credential ?? azureCredential(options.clientId)
    const token = await credential.getToken(scope)
    if (!token) throw new Error('no Entra token for Cosmos DB was issued')
    const seconds = (token.expiresOnTimestamp - Date.now()) / 1000
    return {
      accessToken: token.token,
      expiresInSeconds: Math.max(0, Math.floor(seconds)),
    }
  }
  return {
    ...base,
    authMechanism: 'MONGODB-OIDC',
    authMechanismProperties: { OIDC_CALLBACK },
  }
}
