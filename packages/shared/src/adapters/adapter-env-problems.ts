import type { AdapterEnv } from '../config/adapters.js'

/**
 * What is missing or contradictory in the adapter variables, one sentence
 * per problem, each naming its variable. Empty when the choice can start.
 */
export function adapterEnvProblems(env: AdapterEnv): string[] {
  const problems: string[] = []

  if (env.JOB_STORE === 'mongodb' && !env.MONGODB_URI) {
    problems.push('MONGODB_URI: required when JOB_STORE=mongodb')
  }
  if (env.MONGODB_AUTH === 'azure-oidc' && env.JOB_STORE !== 'mongodb') {
    problems.push('MONGODB_AUTH: azure-oidc requires JOB_STORE=mongodb')
  }

  if (env.JOB_QUEUE === 'servicebus') {
    problems.push(
      ...exactlyOne(
        'SERVICEBUS_NAMESPACE',
        env.SERVICEBUS_NAMESPACE,
        'SERVICEBUS_CONNECTION_STRING',
        env.SERVICEBUS_CONNECTION_STRING,
        'JOB_QUEUE=servicebus',
      ),
    )
  }
  const busString = env.SERVICEBUS_CONNECTION_STRING
  if (busString && !isServiceBusEmulator(busString)) {
    problems.push(
      'SERVICEBUS_CONNECTION_STRING: only the emulator may use a ' +
        'connection string (UseDevelopmentEmulator=true); use ' +
        'SERVICEBUS_NAMESPACE and a managed identity for Azure',
    )
  }

  if (env.BLOB_STORE === 'azure') {
    problems.push(
      ...exactlyOne(
        'STORAGE_ACCOUNT_URL',
        env.STORAGE_ACCOUNT_URL,
        'STORAGE_CONNECTION_STRING',
        env.STORAGE_CONNECTION_STRING,
        'BLOB_STORE=azure',
      ),
    )
  }
  const storageString = env.STORAGE_CONNECTION_STRING
  if (storageString && !isAzurite(storageString)) {
    problems.push(
      'STORAGE_CONNECTION_STRING: only Azurite may use a connection ' +
        'string (UseDevelopmentStorage=true or devstoreaccount1); use ' +
        'STORAGE_ACCOUNT_URL and a managed identity for Azure',
    )
  }

  return problems
}

function exactlyOne(
  a: string,
  aValue: string | undefined,
  b: string,
  bValue: string | undefined,
  because: string,
): string[] {
  if (aValue && bValue) return [`${a}, ${b}: set only one of them`]
  if (!aValue && !bValue) return [`${a}: required (or ${b}) when ${because}`]
  return []
}

/** `Key=value;` pairs, keys lower-cased. */
function settings(connectionString: string): Map<string, string> {
  const pairs = new Map<string, string>()
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=')
    if (at > 0) {
      pairs.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1))
    }
  }
  return pairs
}

function isServiceBusEmulator(connectionString: string): boolean {
  const value = settings(connectionString).get('usedevelopmentemulator')
  return value?.trim().toLowerCase() === 'true'
}

function isAzurite(connectionString: string): boolean {
  const pairs = settings(connectionString)
  return (
    pairs.get('usedevelopmentstorage')?.trim().toLowerCase() === 'true' ||
    pairs.get('accountname')?.trim() === 'devstoreaccount1'
  )
}
