import { describe, expect, it } from 'vitest'
import { AdapterEnv } from '../../packages/shared/src/config/adapters.js'
import { loadApiConfig, ApiEnv } from '../../packages/api/src/config.js'
import {
  loadWorkerConfig,
  WorkerEnv,
} from '../../packages/worker/src/config.js'
import {
  envEntries,
  readRepoFile,
  resolveEnv,
  type EnvEntry,
} from './support/bicep-text.js'
import { missingForAzure } from './support/azure-mode.js'

const apps = [
  {
    app: 'api',
    file: 'infra/modules/api-app.bicep',
    schema: ApiEnv,
    load: loadApiConfig,
  },
  {
    app: 'worker',
    file: 'infra/modules/worker-app.bicep',
    schema: WorkerEnv,
    load: loadWorkerConfig,
  },
] as const

describe('missingForAzure', () => {
  it('names the variable an Azure adapter would lack', () => {
    const entries: EnvEntry[] = [
      { name: 'JOB_QUEUE', kind: 'value', expression: "'servicebus'" },
      { name: 'AZURE_CLIENT_ID', kind: 'value', expression: 'clientId' },
    ]
    expect(missingForAzure(entries)).toEqual(['SERVICEBUS_NAMESPACE'])
  })
})

describe.each(apps)('the $app container app env', ({ file, schema, load }) => {
  const source = readRepoFile(file)
  const entries = envEntries(source)

  it('sets only variables its config schema declares', () => {
    const known = new Set(Object.keys(schema.properties))
    const unknown = entries.map((e) => e.name).filter((n) => !known.has(n))
    expect(unknown).toEqual([])
  })

  it('sets each variable once', () => {
    const names = entries.map((e) => e.name)
    expect(names.length).toBe(new Set(names).size)
  })

  it('chooses the Azure adapter for every port', () => {
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]))
    expect(byName.JOB_STORE?.expression).toBe("'mongodb'")
    expect(byName.JOB_QUEUE?.expression).toBe("'servicebus'")
    expect(byName.BLOB_STORE?.expression).toBe("'azure'")
  })

  it('sets every variable the Azure adapters need', () => {
    expect(missingForAzure(entries)).toEqual([])
  })

  it('takes MONGODB_URI from a Key Vault secret, never a value', () => {
    const uri = entries.find((e) => e.name === 'MONGODB_URI')
    expect(uri).toMatchObject({ kind: 'secretRef' })
    const secrets = source.slice(source.indexOf('secrets:'))
    expect(secrets).toMatch(/keyVaultUrl:\s*mongoUriSecretUri/)
    expect(secrets).toMatch(/identity:\s*identityId/)
    expect(source).not.toMatch(/secrets:\s*\[[^\]]*\bvalue:/)
  })

  it('sets no emulator-only connection string', () => {
    const names = entries.map((e) => e.name)
    expect(names).not.toContain('SERVICEBUS_CONNECTION_STRING')
    expect(names).not.toContain('STORAGE_CONNECTION_STRING')
  })

  it('passes the service config loader as Azure would set it', () => {
    const placeholders: Record<string, string> = {
      MONGODB_URI: 'mongodb://cosmos.example:10255/?ssl=true',
      SERVICEBUS_NAMESPACE: 'sb-x.servicebus.windows.net',
      STORAGE_ACCOUNT_URL: 'https://stx.blob.core.windows.net/',
      AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000000',
    }
    const env = resolveEnv(source, (name) => placeholders[name] ?? 'x')

    const config = load(env) as Record<string, unknown>

    expect(config.JOB_QUEUE).toBe('servicebus')
    expect(config.LOCK_DURATION_MS).toBe(
      AdapterEnv.properties.LOCK_DURATION_MS.default,
    )
    expect(config.MAX_DELIVERIES).toBe(
      AdapterEnv.properties.MAX_DELIVERIES.default,
    )
  })
})
