import { createRequire } from 'node:module'
import { afterAll, describe, expect, it } from 'vitest'
import { collections } from '../../packages/shared/src/adapters/azure/mongo/mongo-documents.js'
import { AdapterEnv } from '../../packages/shared/src/config/adapters.js'
import {
  blockAfter,
  readRepoFile,
  stripComments,
} from './support/bicep-text.js'

// The driver is a dependency of the shared package, not of the root.
const requireFromShared = createRequire(
  new URL('../../packages/shared/package.json', import.meta.url),
)
const { MongoClient } = requireFromShared(
  'mongodb',
) as typeof import('../../packages/shared/node_modules/mongodb/mongodb.js')

describe('the Cosmos DB module', () => {
  const cosmos = stripComments(readRepoFile('infra/modules/cosmos-mongo.bicep'))
  const main = stripComments(readRepoFile('infra/main.bicep'))
  // Never connects: Db.collection() only names a collection.
  const client = new MongoClient(
    'mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=1',
  )
  afterAll(() => client.close())

  it('creates exactly the collections the store uses', () => {
    const storeNames = Object.values(collections(client.db('x'))).map(
      (c) => c.collectionName,
    )
    const declared = /^var collectionNames = \[([^\]]*)\]/m.exec(cosmos)
    expect(declared).not.toBeNull()
    const bicepNames = [...declared![1]!.matchAll(/'(\w+)'/g)].map((m) => m[1])
    expect([...bicepNames].sort()).toEqual([...storeNames].sort())
  })

  it('shards each collection by _id and declares only the _id index', () => {
    const resource = blockAfter(
      cosmos.slice(cosmos.indexOf('/collections@')),
      'resource',
    )
    expect(resource).toMatch(/shardKey:\s*\{\s*_id:\s*'Hash'\s*\}/)
    expect(blockAfter(resource, 'indexes')).toBe("[{ key: { keys: ['_id'] } }]")
  })

  it('is serverless and names the database the apps use', () => {
    expect(cosmos).toMatch(/name:\s*'EnableServerless'/)
    expect(main).toMatch(
      new RegExp(
        `var databaseName = '${AdapterEnv.properties.MONGODB_DATABASE.default}'`,
      ),
    )
  })

  it('writes the connection string to Key Vault, never to an output', () => {
    expect(cosmos).toMatch(
      /value:\s*account\.listConnectionStrings\(\)\.connectionStrings\[0\]\.connectionString/,
    )
    const outputs = cosmos.split('\n').filter((l) => l.startsWith('output '))
    expect(outputs.join('\n')).not.toMatch(/listConnectionStrings|listKeys/)
    expect(outputs.join('\n')).toMatch(/secretUri/)
  })
})
