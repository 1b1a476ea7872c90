import type { Document } from 'bson'
import type { CommandHandler } from './command-context.js'
import {
  ServerError,
  assertUnique,
  type IndexSpec,
  type MemoryCollection,
} from './memory-store.js'

const sameKey = (a: IndexSpec, b: IndexSpec) =>
  JSON.stringify(a.key) === JSON.stringify(b.key)

const sameOptions = (a: IndexSpec, b: IndexSpec) =>
  !!a.unique === !!b.unique && a.expireAfterSeconds === b.expireAfterSeconds

function conflict(message: string): ServerError {
  return new ServerError(85, 'IndexOptionsConflict', message)
}

/** Adds `wanted` unless an identical index exists; mongod's rules. */
function addIndex(
  db: string,
  name: string,
  collection: MemoryCollection,
  wanted: IndexSpec,
): void {
  const byName = collection.indexes.find((i) => i.name === wanted.name)
  const byKey = collection.indexes.find((i) => sameKey(i, wanted))
  if (byName && (!sameKey(byName, wanted) || !sameOptions(byName, wanted))) {
    throw conflict(
      `An existing index has the same name as the requested index: ${wanted.name}`,
    )
  }
  if (byKey && !byName) {
    throw conflict(`Index already exists with a different name: ${byKey.name}`)
  }
  if (byName) return

  if (wanted.unique) {
    // Existing documents must already satisfy the new unique index.
    const probe: MemoryCollection = { docs: [], indexes: [wanted] }
    for (const doc of collection.docs) {
      assertUnique(db, name, probe, doc)
      probe.docs.push(doc)
    }
  }
  collection.indexes.push(wanted)
}

const createIndexes: CommandHandler = (command, { store, db }) => {
  const name = String(command.createIndexes)
  const created = !store.find(db, name)
  const collection = store.collection(db, name)
  const before = collection.indexes.length

  for (const raw of (command.indexes ?? []) as Document[]) {
    const spec: IndexSpec = {
      name: String(raw.name),
      key: raw.key as Record<string, number>,
    }
    if (raw.unique) spec.unique = true
    if (raw.expireAfterSeconds !== undefined) {
      spec.expireAfterSeconds = Number(raw.expireAfterSeconds)
    }
    addIndex(db, name, collection, spec)
  }
  return {
    createdCollectionAutomatically: created,
    numIndexesBefore: before,
    numIndexesAfter: collection.indexes.length,
    ok: 1,
  }
}

const listIndexes: CommandHandler = (command, { store, db, cursors }) => {
  const name = String(command.listIndexes)
  const collection = store.find(db, name)
  if (!collection) {
    throw new ServerError(
      26,
      'NamespaceNotFound',
      `ns does not exist: ${db}.${name}`,
    )
  }
  const docs = collection.indexes.map((index) => ({ v: 2, ...index }))
  return cursors.start(`${db}.${name}`, docs, docs.length)
}

/** Index management: record what is declared, enforce `unique`. */
export const indexCommands: Record<string, CommandHandler> = {
  createIndexes,
  listIndexes,
}
