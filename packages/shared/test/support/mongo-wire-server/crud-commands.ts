import { ObjectId, type Document } from 'bson'
import {
  assertSortIndexed,
  type CommandContext,
  type CommandHandler,
} from './command-context.js'
import { ServerError } from './memory-store.js'
import {
  applyUpdate,
  isReplacement,
  project,
  select,
  upsertSeed,
} from './query-engine.js'

const DEFAULT_BATCH = 101

function writeError(index: number, error: unknown): Document {
  if (!(error instanceof ServerError)) throw error
  return { index, code: error.code, errmsg: error.message, ...error.extra }
}

const insert: CommandHandler = (command, { store, db }) => {
  const name = String(command.insert)
  const documents = (command.documents ?? []) as Document[]
  const ordered = command.ordered !== false
  const writeErrors: Document[] = []
  let n = 0

  store.collection(db, name)
  for (const [index, doc] of documents.entries()) {
    try {
      store.insert(db, name, doc)
      n += 1
    } catch (error) {
      writeErrors.push(writeError(index, error))
      if (ordered) break
    }
  }
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 }
}

const findCommand: CommandHandler = (command, context) => {
  const { store, db, cursors } = context
  const name = String(command.find)
  const filter = command.filter as Document | undefined
  const sort = command.sort as Document | undefined
  assertSortIndexed(context, name, filter, sort)

  const docs = store.find(db, name)?.docs ?? []
  let result = select(docs, filter, sort).slice(Number(command.skip ?? 0))
  const limit = Math.abs(Number(command.limit ?? 0))
  if (limit) result = result.slice(0, limit)
  const batch =
    command.singleBatch || Number(command.limit) < 0
      ? result.length
      : Number(command.batchSize ?? DEFAULT_BATCH)
  const projected = project(result, command.projection as Document)
  return cursors.start(`${db}.${name}`, projected, batch)
}

const getMore: CommandHandler = (command, { cursors }) =>
  cursors.more(
    Number(command.getMore),
    command.batchSize === undefined ? undefined : Number(command.batchSize),
  )

const killCursors: CommandHandler = (command, { cursors }) =>
  cursors.kill(((command.cursors ?? []) as unknown[]).map(Number))

interface UpdateOutcome {
  matched: number
  modified: number
  upsertedId?: unknown
  doc?: Document
  previous?: Document
}

/** One update statement; shared by `update` and `findAndModify`. */
function runUpdate(
  context: CommandContext,
  name: string,
  statement: { q?: Document; u: Document; upsert?: boolean; multi?: boolean },
  sort?: Document,
): UpdateOutcome {
  const { store, db } = context
  const docs = store.find(db, name)?.docs ?? []
  const targets = select(docs, statement.q, sort)
  const chosen = statement.multi ? targets : targets.slice(0, 1)

  if (!chosen.length && statement.upsert) {
    const seed = isReplacement(statement.u) ? {} : upsertSeed(statement.q)
    const built = applyUpdate(seed, statement.u, true)
    if (built._id === undefined) {
      built._id = upsertSeed(statement.q)._id ?? new ObjectId()
    }
    const doc = store.insert(db, name, built)
    return { matched: 0, modified: 0, upsertedId: doc._id, doc }
  }

  let modified = 0
  let last: { doc?: Document; previous?: Document } = {}
  for (const previous of chosen) {
    const next = applyUpdate(previous, statement.u, false)
    store.replace(db, name, previous, next)
    modified += 1
    last = { doc: next, previous }
  }
  return { matched: chosen.length, modified, ...last }
}

const update: CommandHandler = (command, context) => {
  const name = String(command.update)
  const statements = (command.updates ?? []) as Document[]
  const writeErrors: Document[] = []
  const upserted: Document[] = []
  let n = 0
  let nModified = 0

  context.store.collection(context.db, name)
  for (const [index, statement] of statements.entries()) {
    try {
      const outcome = runUpdate(context, name, statement as never)
      n += outcome.matched
      nModified += outcome.modified
      if (outcome.upsertedId !== undefined) {
        n += 1
        upserted.push({ index, _id: outcome.upsertedId })
      }
    } catch (error) {
      writeErrors.push(writeError(index, error))
      if (command.ordered !== false) break
    }
  }
  const reply: Document = { n, nModified, ok: 1 }
  if (upserted.length) reply.upserted = upserted
  if (writeErrors.length) reply.writeErrors = writeErrors
  return reply
}

const deleteCommand: CommandHandler = (command, { store, db }) => {
  const name = String(command.delete)
  let n = 0
  for (const statement of (command.deletes ?? []) as Document[]) {
    const docs = store.find(db, name)?.docs ?? []
    const targets = select(docs, statement.q as Document)
    const chosen = Number(statement.limit) === 1 ? targets.slice(0, 1) : targets
    for (const doc of chosen) store.remove(db, name, doc)
    n += chosen.length
  }
  return { n, ok: 1 }
}

const findAndModify: CommandHandler = (command, context) => {
  const { store, db } = context
  const name = String(command.findAndModify ?? command.findandmodify)
  const query = command.query as Document | undefined
  const sort = command.sort as Document | undefined
  const fields = command.fields as Document | undefined
  assertSortIndexed(context, name, query, sort)

  if (command.remove) {
    const [doc] = select(store.find(db, name)?.docs ?? [], query, sort)
    if (doc) store.remove(db, name, doc)
    const value = doc ? project([doc], fields)[0] : null
    return { lastErrorObject: { n: doc ? 1 : 0 }, value, ok: 1 }
  }

  store.collection(db, name)
  const outcome = runUpdate(
    context,
    name,
    { q: query, u: command.update as Document, upsert: !!command.upsert },
    sort,
  )
  const shown = command.new ? outcome.doc : outcome.previous
  const lastErrorObject: Document = {
    n: outcome.matched || (outcome.upsertedId !== undefined ? 1 : 0),
    updatedExisting: outcome.matched > 0,
  }
  if (outcome.upsertedId !== undefined) {
    lastErrorObject.upserted = outcome.upsertedId
  }
  const value = shown ? project([shown], fields)[0] : null
  return { lastErrorObject, value, ok: 1 }
}

/** The commands that read and write documents. */
export const crudCommands: Record<string, CommandHandler> = {
  insert,
  find: findCommand,
  getMore,
  killCursors,
  update,
  delete: deleteCommand,
  findAndModify,
  findandmodify: findAndModify,
}
