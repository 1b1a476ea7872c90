import type { Document } from 'bson'
import { Query, find, update as applyModifier } from 'mingo'
import { ServerError, copy, type IndexSpec } from './memory-store.js'

/** The documents of `docs` that match `filter`, in `sort` order. */
export function select(
  docs: Document[],
  filter: Document = {},
  sort?: Document,
): Document[] {
  const cursor = find(docs, filter)
  const matched = sort && Object.keys(sort).length ? cursor.sort(sort) : cursor
  return matched.all() as Document[]
}

/** Applies a projection to copies, as the reply would carry them. */
export function project(docs: Document[], projection?: Document): Document[] {
  if (!projection || !Object.keys(projection).length) return docs.map(copy)
  return find(docs.map(copy), {}, projection).all() as Document[]
}

export function matches(doc: Document, filter: Document = {}): boolean {
  return new Query(filter, {}).test(doc)
}

const isOperatorDoc = (value: unknown): value is Document =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.keys(value).some((k) => k.startsWith('$'))

/** True when `update` is a replacement document rather than operators. */
export function isReplacement(update: Document): boolean {
  return !Object.keys(update).some((k) => k.startsWith('$'))
}

/**
 * The document an update makes of `doc` (a copy). `$setOnInsert` only
 * applies when `inserting`; mingo handles the other operators.
 */
export function applyUpdate(
  doc: Document,
  update: Document,
  inserting: boolean,
): Document {
  if (Array.isArray(update)) {
    throw new ServerError(9, 'FailedToParse', 'pipeline updates unsupported')
  }
  if (isReplacement(update)) return { ...copy(update), _id: doc._id }

  const next = copy(doc)
  const { $setOnInsert, ...operators } = update
  if (inserting && $setOnInsert) applyModifier(next, { $set: $setOnInsert })
  if (Object.keys(operators).length) applyModifier(next, operators)
  if (doc._id !== undefined && next._id !== doc._id) {
    const same = JSON.stringify(next._id) === JSON.stringify(doc._id)
    if (!same) {
      throw new ServerError(
        66,
        'ImmutableField',
        "Performing an update on the path '_id' would modify the " +
          "immutable field '_id'",
      )
    }
  }
  return next
}

/** The fields an upsert copies from its filter: plain equalities. */
export function upsertSeed(filter: Document = {}): Document {
  const seed: Document = {}
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith('$')) continue
    if (isOperatorDoc(value)) {
      if ('$eq' in value) seed[key] = value.$eq
      continue
    }
    seed[key] = value
  }
  // mingo refuses any $set of `_id`, so the seed gets it directly.
  const { _id, ...rest } = seed
  const doc: Document = _id === undefined ? {} : { _id }
  if (Object.keys(rest).length) applyModifier(doc, { $set: rest })
  return doc
}

/** Fields the filter pins to one value, which an index prefix may use. */
function equalityFields(filter: Document): Set<string> {
  const fields = new Set<string>()
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith('$')) continue
    if (!isOperatorDoc(value) || '$eq' in value) fields.add(key)
  }
  return fields
}

/**
 * Whether an index can serve `sort` for `filter`: the sort keys must be
 * a run of an index's keys (all in its directions or all reversed), and
 * every key before that run must be pinned by an equality in the filter.
 */
export function indexCoversSort(
  indexes: IndexSpec[],
  filter: Document,
  sort: Document,
): boolean {
  const wanted = Object.entries(sort).map(([k, v]) => [k, Number(v)] as const)
  const pinned = equalityFields(filter)

  return indexes.some((index) => {
    const keys = Object.entries(index.key)
    for (let start = 0; start + wanted.length <= keys.length; start += 1) {
      const prefixPinned = keys.slice(0, start).every(([k]) => pinned.has(k))
      if (!prefixPinned) return false
      const run = keys.slice(start, start + wanted.length)
      const same = run.every(([k, d], i) => {
        const [wk, wd] = wanted[i]!
        return k === wk && d === wd
      })
      const reversed = run.every(([k, d], i) => {
        const [wk, wd] = wanted[i]!
        return k === wk && d === -wd
      })
      if (same || reversed) return true
    }
    return false
  })
}
