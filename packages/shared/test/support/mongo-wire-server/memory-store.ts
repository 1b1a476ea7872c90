import { EJSON, ObjectId, deserialize, serialize, type Document } from 'bson'

/** An index as createIndexes declared it. */
export interface IndexSpec {
  name: string
  key: Record<string, number>
  unique?: boolean
  expireAfterSeconds?: number
}

/** A collection's documents (in insertion order) and its indexes. */
export interface MemoryCollection {
  docs: Document[]
  indexes: IndexSpec[]
}

/** An error the server answers with `ok: 0` or as a write error. */
export class ServerError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Document = {},
  ) {
    super(message)
  }

  toReply(): Document {
    return {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      codeName: this.codeName,
      ...this.extra,
    }
  }
}

const idIndex = (): IndexSpec => ({ name: '_id_', key: { _id: 1 } })

/** A copy that shares nothing with the stored document, as BSON would. */
export function copy<T extends Document>(doc: T): T {
  return deserialize(serialize(doc)) as T
}

/** Reads a dotted path; missing fields read as null, as indexes see them. */
export function readPath(doc: Document, path: string): unknown {
  let value: unknown = doc
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return null
    value = (value as Document)[part]
  }
  return value ?? null
}

/** All databases of one server, created on first use like mongod does. */
export class MemoryStore {
  private readonly databases = new Map<string, Map<string, MemoryCollection>>()

  database(name: string): Map<string, MemoryCollection> {
    let db = this.databases.get(name)
    if (!db) {
      db = new Map()
      this.databases.set(name, db)
    }
    return db
  }

  dropDatabase(name: string): void {
    this.databases.delete(name)
  }

  /** The collection, or undefined when nothing created it yet. */
  find(db: string, name: string): MemoryCollection | undefined {
    return this.databases.get(db)?.get(name)
  }

  collection(db: string, name: string): MemoryCollection {
    const collections = this.database(db)
    let collection = collections.get(name)
    if (!collection) {
      collection = { docs: [], indexes: [idIndex()] }
      collections.set(name, collection)
    }
    return collection
  }

  /** Stores a copy of `doc`, giving it an ObjectId when it has no `_id`. */
  insert(db: string, name: string, doc: Document): Document {
    const collection = this.collection(db, name)
    const stored = copy(doc)
    if (stored._id === undefined) stored._id = new ObjectId()
    assertUnique(db, name, collection, stored)
    collection.docs.push(stored)
    return stored
  }

  /** Puts `next` where `previous` was, after the unique indexes agree. */
  replace(db: string, name: string, previous: Document, next: Document): void {
    const collection = this.collection(db, name)
    assertUnique(db, name, collection, next, previous)
    const at = collection.docs.indexOf(previous)
    collection.docs[at] = next
  }

  remove(db: string, name: string, doc: Document): void {
    const collection = this.collection(db, name)
    collection.docs.splice(collection.docs.indexOf(doc), 1)
  }
}

function keyOf(index: IndexSpec, doc: Document): string {
  const values = Object.keys(index.key).map((path) => readPath(doc, path))
  return EJSON.stringify(values, { relaxed: false })
}

/** Throws E11000 when `doc` repeats a unique key held by another doc. */
export function assertUnique(
  db: string,
  name: string,
  collection: MemoryCollection,
  doc: Document,
  replacing?: Document,
): void {
  const unique = collection.indexes.filter(
    (index) => index.unique || index.name === '_id_',
  )
  for (const index of unique) {
    const key = keyOf(index, doc)
    const clash = collection.docs.find(
      (other) => other !== replacing && keyOf(index, other) === key,
    )
    if (clash) throw duplicateKey(db, name, index, doc)
  }
}

/** The error mongod gives for a unique index violation. */
export function duplicateKey(
  db: string,
  name: string,
  index: IndexSpec,
  doc: Document,
): ServerError {
  const keyValue: Document = {}
  for (const path of Object.keys(index.key)) {
    keyValue[path] = readPath(doc, path)
  }
  const shown = Object.entries(keyValue)
    .map(([k, v]) => `${k}: ${EJSON.stringify(v)}`)
    .join(', ')
  return new ServerError(
    11000,
    'DuplicateKey',
    `E11000 duplicate key error collection: ${db}.${name} ` +
      `index: ${index.name} dup key: { ${shown} }`,
    { keyPattern: index.key, keyValue },
  )
}
