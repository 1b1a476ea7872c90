import { Long, type Document } from 'bson'
import { ServerError, type MemoryStore } from './memory-store.js'
import { indexCoversSort } from './query-engine.js'

/** What every command handler may use. */
export interface CommandContext {
  store: MemoryStore
  db: string
  cursors: CursorTable
  /** Refuse sorts that no index serves, as Cosmos DB does. */
  requireIndexForSort: boolean
  /** Bearer tokens clients presented through MONGODB-OIDC. */
  oidcTokens: string[]
}

export type CommandHandler = (
  command: Document,
  context: CommandContext,
) => Document

/** Open cursors, so that getMore can hand out the rest of a result. */
export class CursorTable {
  private next = 1
  private readonly open = new Map<number, { ns: string; docs: Document[] }>()

  /** The first batch and a cursor id (0 when nothing is left). */
  start(ns: string, docs: Document[], batchSize: number): Document {
    const firstBatch = docs.slice(0, batchSize)
    const rest = docs.slice(batchSize)
    let id = 0
    if (rest.length) {
      id = this.next++
      this.open.set(id, { ns, docs: rest })
    }
    return { cursor: { id: Long.fromNumber(id), ns, firstBatch }, ok: 1 }
  }

  more(id: number, batchSize: number | undefined): Document {
    const cursor = this.open.get(id)
    if (!cursor) {
      throw new ServerError(43, 'CursorNotFound', `cursor id ${id} not found`)
    }
    const size = batchSize ?? cursor.docs.length
    const nextBatch = cursor.docs.splice(0, size)
    if (!cursor.docs.length) this.open.delete(id)
    const left = cursor.docs.length ? id : 0
    return {
      cursor: { id: Long.fromNumber(left), ns: cursor.ns, nextBatch },
      ok: 1,
    }
  }

  kill(ids: number[]): Document {
    for (const id of ids) this.open.delete(id)
    return { cursorsKilled: ids, cursorsNotFound: [], ok: 1 }
  }
}

/** Cosmos DB's refusal of an ORDER BY that no index serves. */
export function assertSortIndexed(
  context: CommandContext,
  collection: string,
  filter: Document = {},
  sort?: Document,
): void {
  if (!context.requireIndexForSort || !sort || !Object.keys(sort).length) {
    return
  }
  const indexes = context.store.find(context.db, collection)?.indexes ?? [
    { name: '_id_', key: { _id: 1 } },
  ]
  if (indexCoversSort(indexes, filter, sort)) return

  throw new ServerError(
    2,
    'BadValue',
    'The index path corresponding to the specified order-by item is ' +
      `excluded. (sort: ${JSON.stringify(sort)})`,
  )
}
