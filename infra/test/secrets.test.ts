import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findSecrets } from './support/secret-scan.js'
import { readRepoFile, repoRoot } from './support/bicep-text.js'

/** Every file under `dir`, as repository-relative paths. */
function filesUnder(dir: string): string[] {
  const abs = join(repoRoot, dir)
  return readdirSync(abs).flatMap((name) => {
    const path = join(abs, name)
    const rel = relative(repoRoot, path)
    if (statSync(path).isDirectory()) {
      return name === 'node_modules' ? [] : filesUnder(rel)
    }
    return [rel]
  })
}

describe('findSecrets', () => {
  it.each([
    ['DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc==', 'key'],
    ['Endpoint=sb://x/;SharedAccessKeyName=Root;SharedAccessKey=abc', 'SAS'],
    ["uri: 'mongodb://acct:hunter2hunter2@acct.mongo.cosmos.azure.com'", 'URI'],
    ["    password: 'Tr0ub4dor&3'", 'password'],
    ['  client-secret: ${{ secrets.AZURE_CLIENT_SECRET }}', 'GitHub secret'],
    [
      "value: 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0YQ=='",
      'b64',
    ],
    [
      'https://a.blob.core.windows.net/c/b?sv=2024&sig=AbCdEf0123456789%2B',
      'SAS',
    ],
  ])('flags %s', (sample) => {
    expect(findSecrets(sample)).not.toEqual([])
  })

  it.each([
    "{ name: 'MONGODB_URI', secretRef: 'mongodb-uri' }",
    'sharedKey: workspace.listKeys().primarySharedKey',
    'client-id: ${{ vars.AZURE_CLIENT_ID }}',
    'token: ${{ secrets.GITHUB_TOKEN }}',
    'keyVaultUrl: mongoUriSecretUri, identity: identityId',
    "uri: 'mongodb://localhost:27017/invoice-jobs'",
  ])('lets a reference pass: %s', (sample) => {
    expect(findSecrets(sample)).toEqual([])
  })
})

describe('the deployment files', () => {
  const files = [
    ...filesUnder('infra'),
    ...filesUnder('.github/workflows'),
    'azure.yaml',
  ].filter((f) => !f.startsWith('infra/test/'))

  it('include the Bicep, the workflows and azure.yaml', () => {
    expect(files).toContain('infra/main.bicep')
    expect(files).toContain('.github/workflows/deploy.yml')
    expect(files.length).toBeGreaterThan(10)
  })

  it.each(files)('%s holds no literal secret', (file) => {
    expect(findSecrets(readRepoFile(file))).toEqual([])
  })
})
