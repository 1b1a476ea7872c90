import { describe, expect, it } from 'vitest'
import { adapterEnvProblems } from '../../src/adapters/adapter-env-problems.js'
import { AdapterEnv } from '../../src/config/adapters.js'
import { loadConfig } from '../../src/config/load-config.js'

const env = (vars: Record<string, string>) => loadConfig(AdapterEnv, vars)

const azurite =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
  'AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;'
const emulator =
  'Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;' +
  'SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;'

describe('adapterEnvProblems', () => {
  it('finds nothing wrong with the embedded defaults', () => {
    expect(adapterEnvProblems(env({}))).toEqual([])
  })

  it('finds nothing wrong with a managed-identity Azure setup', () => {
    const azure = env({
      JOB_STORE: 'mongodb',
      MONGODB_URI: 'mongodb+srv://cluster.example.test',
      MONGODB_AUTH: 'azure-oidc',
      JOB_QUEUE: 'servicebus',
      SERVICEBUS_NAMESPACE: 'ns.servicebus.windows.net',
      BLOB_STORE: 'azure',
      STORAGE_ACCOUNT_URL: 'https://acct.blob.core.windows.net',
    })
    expect(adapterEnvProblems(azure)).toEqual([])
  })

  it('accepts the emulators’ connection strings', () => {
    const local = env({
      JOB_QUEUE: 'servicebus',
      SERVICEBUS_CONNECTION_STRING: emulator,
      BLOB_STORE: 'azure',
      STORAGE_CONNECTION_STRING: azurite,
    })
    expect(adapterEnvProblems(local)).toEqual([])
    const shortcut = env({
      BLOB_STORE: 'azure',
      STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    })
    expect(adapterEnvProblems(shortcut)).toEqual([])
  })

  it.each([
    [{ JOB_STORE: 'mongodb' }, /^MONGODB_URI: required/],
    [{ MONGODB_AUTH: 'azure-oidc' }, /^MONGODB_AUTH: .*JOB_STORE=mongodb/],
    [{ JOB_QUEUE: 'servicebus' }, /^SERVICEBUS_NAMESPACE: required/],
    [
      {
        JOB_QUEUE: 'servicebus',
        SERVICEBUS_NAMESPACE: 'ns.servicebus.windows.net',
        SERVICEBUS_CONNECTION_STRING: emulator,
      },
      /^SERVICEBUS_NAMESPACE, SERVICEBUS_CONNECTION_STRING: set only one/,
    ],
    [
      {
        JOB_QUEUE: 'servicebus',
        SERVICEBUS_CONNECTION_STRING:
          'Endpoint=sb://prod.servicebus.windows.net/;SharedAccessKey=x',
      },
      /^SERVICEBUS_CONNECTION_STRING: only the emulator/,
    ],
    [{ BLOB_STORE: 'azure' }, /^STORAGE_ACCOUNT_URL: required/],
    [
      {
        BLOB_STORE: 'azure',
        STORAGE_ACCOUNT_URL: 'https://acct.blob.core.windows.net',
        STORAGE_CONNECTION_STRING: azurite,
      },
      /^STORAGE_ACCOUNT_URL, STORAGE_CONNECTION_STRING: set only one/,
    ],
    [
      {
        BLOB_STORE: 'azure',
        STORAGE_CONNECTION_STRING:
          'DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=eA==',
      },
      /^STORAGE_CONNECTION_STRING: only Azurite/,
    ],
  ])('reports %j', (vars, problem) => {
    const problems = adapterEnvProblems(env(vars))

    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(problem)
  })

  it('refuses a production connection string even when not chosen', () => {
    const problems = adapterEnvProblems(
      env({ SERVICEBUS_CONNECTION_STRING: 'Endpoint=sb://prod/;A=b' }),
    )
    expect(problems).toEqual([
      expect.stringMatching(/^SERVICEBUS_CONNECTION_STRING:/),
    ])
  })
})
