import type { EnvEntry } from './bicep-text.js'

/**
 * What Azure mode needs: each adapter choice names the variables its
 * adapter cannot start without. Returns the names that are missing.
 */
export function missingForAzure(entries: EnvEntry[]): string[] {
  const set = new Map(entries.map((e) => [e.name, e]))
  const literal = (name: string) =>
    /^'(.*)'$/.exec(set.get(name)?.expression ?? '')?.[1]
  const needs: string[] = ['AZURE_CLIENT_ID']
  if (literal('JOB_STORE') === 'mongodb') needs.push('MONGODB_URI')
  if (literal('JOB_QUEUE') === 'servicebus') needs.push('SERVICEBUS_NAMESPACE')
  if (literal('BLOB_STORE') === 'azure') needs.push('STORAGE_ACCOUNT_URL')
  return needs.filter((name) => !set.has(name))
}
